// Picks records of another object (lookup, employee, department) by searching it through the records API's q,
// so the choices are exactly the records the user may see.
import { useEffect, useRef, useState } from "react";
import { Select } from "antd";
import { api } from "../api/client";
import { useMetadata } from "../api/metadata-store";
import { displayFieldOf } from "../layout/fields";
import { useI18n } from "../i18n/locale";
import { rememberNames, useRecordNames } from "./record-names";

const SEARCH_LIMIT = 20;
const SEARCH_DELAY_MS = 250;

interface LookupPickerProps {
  target: string;
  multiple?: boolean;
  value?: string | string[] | null;
  onChange?(value: string | string[] | null): void;
  disabled?: boolean;
  id?: string;
}

export function LookupPicker({ target, multiple, value, onChange, disabled, id }: LookupPickerProps) {
  const { t } = useI18n();
  const { objectByName } = useMetadata();
  const targetDescribe = objectByName.get(target);
  const selected = value ? (Array.isArray(value) ? value : [value]) : [];
  const names = useRecordNames(target, selected);
  const [found, setFound] = useState<{ value: string; label: string }[]>([]);
  const [searching, setSearching] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const search = (text: string) => {
    clearTimeout(timer.current);
    if (!targetDescribe) return;
    timer.current = setTimeout(() => {
      setSearching(true);
      const field = displayFieldOf(targetDescribe);
      api
        .list(target, { q: text || undefined, limit: SEARCH_LIMIT })
        .then((result) => {
          const options = result.records.map((record) => ({ value: String(record.id), label: String(record[field] ?? record.id) }));
          rememberNames(target, options.map((option) => [option.value, option.label]));
          setFound(options);
        })
        // A failed search leaves the previous choices; the user can type again.
        .catch(() => undefined)
        .finally(() => setSearching(false));
    }, SEARCH_DELAY_MS);
  };
  useEffect(() => () => clearTimeout(timer.current), []);

  const options = [...selected.filter((candidate) => !found.some((option) => option.value === candidate)).map((candidate) => ({ value: candidate, label: names.get(candidate) ?? "…" })), ...found];
  return (
    <Select
      id={id}
      mode={multiple ? "multiple" : undefined}
      showSearch={{ filterOption: false, onSearch: search }}
      allowClear
      disabled={disabled}
      loading={searching}
      placeholder={t("searchToPick")}
      value={multiple ? selected : (selected[0] ?? null)}
      options={options}
      onOpenChange={(open) => open && found.length === 0 && search("")}
      onChange={(next) => onChange?.(multiple ? ((next as string[]) ?? []) : ((next as string | undefined) ?? null))}
      style={{ width: "100%" }}
    />
  );
}
