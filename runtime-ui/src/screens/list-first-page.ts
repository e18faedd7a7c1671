// The first page of the list a signed-in visit opens (/o/<object>), asked for as soon as the metadata is here: in
// parallel with the download of the list screen's code instead of after it has run and rendered. The screen takes
// this request instead of asking again, and when its answer is already here, the screen's first render shows the rows.
import { api, askAhead, askedThisSession, listQueryString, type AskedAhead, type ListQuery } from "../api/client";
import type { ListResult, ObjectDescribe } from "../api/types";
import { layoutOf } from "../layout/default-layout";
import { listQuery, openingListState } from "./list-filter";

export const PAGE_SIZE = 50;

/** The records request of a list's first page (with the total count). */
export const firstPageRequest = (query: ListQuery): ListQuery => ({ ...query, limit: PAGE_SIZE, count: true });

interface Prefetched extends AskedAhead<ListResult> {
  object: string;
  /** The request as sent: the screen takes it only when it would ask exactly the same. */
  request: string;
}

let prefetched: Prefetched | null = null;

const requestOf = (object: string, query: ListQuery) => `${object}${listQueryString(firstPageRequest(query))}`;

/**
 * Asks for the first page of the object's list as it opens, once the metadata (user, objects) has arrived.
 * `fetchPage` is the records API (a parameter so tests can see the request).
 */
export function prefetchFirstPage(
  object: string,
  metadata: Promise<{ user: { employeeId: string | null }; objects: ObjectDescribe[] }>,
  fetchPage: typeof api.list = api.list,
): void {
  metadata.then(
    ({ user, objects }) => {
      const describe = objects.find((candidate) => candidate.name === object);
      if (!describe) return;
      const query = listQuery(openingListState(layoutOf(describe, objects).list.defaultSort), user.employeeId);
      // The same object as askAhead's: it sets `arrived` on it when the page comes.
      prefetched = Object.assign(askAhead(fetchPage(object, firstPageRequest(query))), { object, request: requestOf(object, query) });
    },
    () => undefined,
  );
}

const matching = (object: string, query: ListQuery) =>
  prefetched && prefetched.object === object && prefetched.request === requestOf(object, query) ? askedThisSession(prefetched) : null;

/** The prefetched first page when it has arrived and is the one asked for (leaves it for takeFirstPage). */
export function arrivedFirstPage(object: string, query: ListQuery): ListResult | undefined {
  return matching(object, query)?.arrived;
}

/**
 * The prefetched first page's request when it is the one asked for, else undefined. Taken once, whether it matched
 * or not: a later visit of a list (the user navigated away and back) asks afresh.
 */
export function takeFirstPage(object: string, query: ListQuery): Promise<ListResult> | undefined {
  const entry = matching(object, query);
  prefetched = null;
  return entry?.promise;
}
