// Orders a set of renames so that no rename targets a name still in use (swaps go through a temporary name).

export interface Rename {
  from: string;
  to: string;
}

export const temporaryName = (n: number): string => `_rename_tmp_${n}`;

/**
 * Renames in an order that applies: `a → b` waits until whatever holds `b` has moved; a cycle
 * (`a → b`, `b → a`) parks one member on a temporary name first. Extra properties are kept.
 */
export function orderRenames<T extends Rename>(renames: readonly T[], tempName = temporaryName): T[] {
  let pending = renames.filter((rename) => rename.from !== rename.to);
  const ordered: T[] = [];
  let temporaries = 0;
  while (pending.length > 0) {
    const ready = pending.find((rename) => !pending.some((other) => other !== rename && other.from === rename.to));
    if (ready) {
      ordered.push(ready);
      pending = pending.filter((rename) => rename !== ready);
      continue;
    }
    const [parked, ...rest] = pending;
    const temporary = tempName(temporaries++);
    ordered.push({ ...parked, to: temporary });
    pending = [...rest, { ...parked, from: temporary }];
  }
  return ordered;
}
