// The measured requests: for each scenario, the same logical requests to the generic API and to the hand route.
import type { Knex } from "knex";
import type { CompiledObject } from "../../server/src/registry/model";
import { parseSort } from "../../server/src/records/list-query";
import { encodeCursor } from "../../server/src/records/cursor";
import { OBJECT } from "./setup";

export interface Scenario {
  name: string;
  /** A list page: held to the 20 ms p95 target as well as to the ratio. */
  page: boolean;
  generic: string[];
  hand: string[];
}

export const MIN_PRICE = 5000;
const FILTER = encodeURIComponent(JSON.stringify({ and: [{ "==": [{ var: "status" }, "open"] }, { ">=": [{ var: "price" }, MIN_PRICE] }] }));
const LIST = `/api/objects/${OBJECT}/records`;

/** `count` rows picked at random (so cursors land at uniformly random depths). */
const randomRows = (db: Knex, where: string, count: number): Promise<Record<string, unknown>[]> =>
  db.raw(`SELECT id, created_at, price FROM ${OBJECT} WHERE deleted_at IS NULL ${where} ORDER BY random() LIMIT ${count}`).then((result) => result.rows);

export async function buildScenarios(db: Knex, object: CompiledObject, variety: number): Promise<Scenario[]> {
  const bySort = parseSort(object, "-created_at");
  const byPrice = parseSort(object, "-price");
  const deep = (await randomRows(db, "", variety)).map((row) => encodeCursor(bySort, row));
  const deepFiltered = (await randomRows(db, `AND status = 'open' AND price >= ${MIN_PRICE}`, variety)).map((row) => encodeCursor(byPrice, row));
  const ids = (await randomRows(db, "", variety)).map((row) => row.id as string);
  return [
    { name: "first page (-created_at)", page: true, generic: [`${LIST}?limit=50`], hand: ["/hand/bench_item/records"] },
    {
      name: "filter+sort first page",
      page: true,
      generic: [`${LIST}?filter=${FILTER}&sort=-price&limit=50`],
      hand: [`/hand/bench_item/by-price?status=open&minPrice=${MIN_PRICE}`],
    },
    {
      name: "deep page (-created_at)",
      page: true,
      generic: deep.map((cursor) => `${LIST}?limit=50&cursor=${cursor}`),
      hand: deep.map((cursor) => `/hand/bench_item/records?cursor=${cursor}`),
    },
    {
      name: "deep page filter+sort",
      page: true,
      generic: deepFiltered.map((cursor) => `${LIST}?filter=${FILTER}&sort=-price&limit=50&cursor=${cursor}`),
      hand: deepFiltered.map((cursor) => `/hand/bench_item/by-price?status=open&minPrice=${MIN_PRICE}&cursor=${cursor}`),
    },
    { name: "get by id", page: false, generic: ids.map((id) => `${LIST}/${id}`), hand: ids.map((id) => `/hand/bench_item/records/${id}`) },
  ];
}
