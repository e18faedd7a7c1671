// The saved-views API of the list screen: the signed-in user's own views of one object.
import { request } from "../api/client";

export interface SavedView {
  id: string;
  object: string;
  name: string;
  filter: unknown;
  sort: string | null;
  columns: string[] | null;
  createdAt: string;
  updatedAt: string;
}

export type ViewInput = Partial<Pick<SavedView, "name" | "filter" | "sort" | "columns">>;

const viewsPath = (object: string) => `/api/objects/${encodeURIComponent(object)}/views`;

export const viewsApi = {
  list: (object: string) => request<{ views: SavedView[] }>("GET", viewsPath(object)).then((answer) => answer.views),
  create: (object: string, view: ViewInput) => request<SavedView>("POST", viewsPath(object), view),
  update: (object: string, id: string, view: ViewInput) => request<SavedView>("PATCH", `${viewsPath(object)}/${encodeURIComponent(id)}`, view),
  remove: (object: string, id: string) => request<void>("DELETE", `${viewsPath(object)}/${encodeURIComponent(id)}`),
};

/** What a view sets on the list when picked (pure): columns limited to those the user may still see. */
export function viewState(view: SavedView, visibleColumns: ReadonlySet<string>, defaultSort: string | undefined) {
  const columns = view.columns?.filter((name) => visibleColumns.has(name)) ?? null;
  return { filter: view.filter ?? undefined, sort: view.sort ?? defaultSort, columns: columns && columns.length > 0 ? columns : null };
}

/** The body of a view saved from the list's current state (pure): the layout's defaults are not stored. */
export function viewInput(input: { name?: string; filter: unknown; sort: string | undefined; defaultSort: string | undefined; columns: string[] | null }): ViewInput {
  return {
    ...(input.name === undefined ? {} : { name: input.name.trim() }),
    filter: input.filter ?? null,
    sort: input.sort && input.sort !== input.defaultSort ? input.sort : null,
    columns: input.columns,
  };
}
