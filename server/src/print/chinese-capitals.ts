// 金额大写: an amount of money in Chinese capital numerals, as written on invoices, contracts and cheques (pure).

const DIGITS = "零壹贰叁肆伍陆柒捌玖";
const SMALL_UNITS = ["", "拾", "佰", "仟"];
const TEN_THOUSAND = 10_000n;
const HUNDRED_MILLION = 100_000_000n;
/** numeric(18, 2) holds 16 integer digits: up to 玖仟玖佰玖拾玖万亿. */
const LIMIT = 10n ** 16n;

/** 1 … 9999 without leading zeros: a zero between digits reads 零 once, trailing zeros not at all (1005 壹仟零伍, 1050 壹仟零伍拾). */
function readBelowTenThousand(value: number): string {
  let text = "";
  let pendingZero = false;
  for (let position = 3; position >= 0; position -= 1) {
    const digit = Math.floor(value / 10 ** position) % 10;
    if (digit === 0) {
      pendingZero = text !== "";
      continue;
    }
    text += `${pendingZero ? "零" : ""}${DIGITS[digit]}${SMALL_UNITS[position]}`;
    pendingZero = false;
  }
  return text;
}

/**
 * A positive integer below 10^16, read as 亿 and 万 groups. A lower part that does not fill its group
 * (fewer digits than the unit allows) is joined with one 零: 10005 壹万零伍, 100000005 壹亿零伍, 100050000 壹亿零伍万.
 */
function readInteger(value: bigint): string {
  if (value >= HUNDRED_MILLION) return joinGroups(readInteger(value / HUNDRED_MILLION), "亿", value % HUNDRED_MILLION, HUNDRED_MILLION);
  if (value >= TEN_THOUSAND) return joinGroups(readBelowTenThousand(Number(value / TEN_THOUSAND)), "万", value % TEN_THOUSAND, TEN_THOUSAND);
  return readBelowTenThousand(Number(value));
}

function joinGroups(high: string, unit: string, low: bigint, groupSize: bigint): string {
  if (low === 0n) return `${high}${unit}`;
  const needsZero = low < groupSize / 10n;
  return `${high}${unit}${needsZero ? "零" : ""}${readInteger(low)}`;
}

/** "-12.345" → sign, integer and cents (rounded half up), exactly: no binary floating point on the way. */
function parseAmount(value: number | string): { negative: boolean; cents: bigint } {
  if (typeof value === "number" && !Number.isFinite(value)) throw new RangeError(`not a finite amount: ${value}`);
  // Shortest round-trip text of a number ("0.1", not 0.1000000000000000055…); exponents are written out.
  const text = typeof value === "number" ? value.toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 20 }) : value.trim();
  const match = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(text) ?? /^([+-]?)()\.(\d+)$/.exec(text);
  if (!match) throw new RangeError(`not an amount: ${JSON.stringify(value)}`);
  const [, sign, whole, fraction = ""] = match;
  const cents = BigInt(whole || "0") * 100n + BigInt(fraction.padEnd(2, "0").slice(0, 2));
  const roundUp = fraction.length > 2 && fraction[2] >= "5";
  return { negative: sign === "-", cents: cents + (roundUp ? 1n : 0n) };
}

/**
 * 12345.67 → 壹万贰仟叁佰肆拾伍元陆角柒分; 100 → 壹佰元整; 1005.5 → 壹仟零伍元伍角; 0.05 → 伍分; 12.05 → 壹拾贰元零伍分;
 * 0 → 零元整; negatives start with 负. Rounded half up to 分; amounts of 10^16 元 or more are refused (RangeError).
 * Follows 《支付结算办法》: 整 only after 元; 零 between 元 and 分 when 角 is zero; tens written 壹拾.
 */
export function amountInChineseCapitals(value: number | string): string {
  const { negative, cents } = parseAmount(value);
  const yuan = cents / 100n;
  if (yuan >= LIMIT) throw new RangeError(`amount too large for Chinese capitals: ${value}`);
  const jiao = Number((cents / 10n) % 10n);
  const fen = Number(cents % 10n);
  if (cents === 0n) return "零元整";
  let text = yuan > 0n ? `${readInteger(yuan)}元` : "";
  if (jiao === 0 && fen === 0) text += "整";
  if (jiao > 0) text += `${DIGITS[jiao]}角`;
  if (jiao === 0 && fen > 0 && yuan > 0n) text += "零";
  if (fen > 0) text += `${DIGITS[fen]}分`;
  return `${negative ? "负" : ""}${text}`;
}
