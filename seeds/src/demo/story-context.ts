// What every part of a customer's generated story shares: the environment, the customer's facts, and the
// implicit columns (system stamps, ownership, customer scope copies) the records service would have filled.
import type { RecordValues } from "../../../server/src/records/computed-values";
import type { InventoryItem } from "./catalog";
import type { City } from "./geography";
import type { Address, Company } from "./names";
import type { OrgContext, Person } from "./org-context";
import type { Random } from "./random";
import type { AutoNumbers } from "./auto-numbers";
import { isoOf, type Timeline } from "./timeline";

export interface StoryEnvironment {
  org: OrgContext;
  /** Catalogue items per product line (null: the traded industrial parts). */
  itemsByLine: Map<string | null, InventoryItem[]>;
  timeline: Timeline;
  numbers: AutoNumbers;
  /** Running ERP document numbers (shipments, outbound deliveries, receipts). */
  erpCounters: { shipment: number; outbound: number; receipt: number };
  emit(objectName: string, values: RecordValues): void;
}

export interface ContactFacts {
  id: string;
  name: string;
  title: string;
  mobile: string;
  email: string;
}

export interface CustomerFacts {
  id: string;
  owner: Person;
  relatedIds: string[];
  createdAt: number;
  formal: boolean;
  category: string | null;
  productLine: string;
  city: City;
  company: Company;
  contacts: ContactFacts[];
  /** Customer prices (客户价格) of this customer: inventory id → unit price. */
  prices: Map<string, number>;
  /** 收货地址: where shipments go. */
  shipTo: Address;
}

/** id, version and the created / updated stamps. A record changed after its creation is at version 2. */
export function stamps(id: string, createdAt: number, updatedAt: number, userId: string): RecordValues {
  return {
    id,
    version: updatedAt > createdAt ? 2 : 1,
    created_at: isoOf(createdAt),
    created_by: userId,
    updated_at: isoOf(Math.max(createdAt, updatedAt)),
    updated_by: userId,
  };
}

/** A document line's stamps (created and never changed) and its position under its document. */
export function lineRecord(id: string, createdAt: number, userId: string, parentId: string, lineNo: number): RecordValues {
  const at = isoOf(createdAt);
  return { id, version: 1, created_at: at, created_by: userId, updated_at: at, updated_by: userId, parent_id: parentId, line_no: lineNo };
}

// The helpers below return every implicit column in one object literal, and a record is Object.assign(helper(…),
// { its own fields }). Not { ...helper(…), fields }: a spread followed by more properties gives V8 new hidden classes
// that outlive the record, and the garbage collector then copied and promoted megabytes per collection (it cost
// more than generating the rows).

/** stamps, 负责员工, department (always the owner's, as the records service defaults it) and 相关员工. */
export function ownedRecord(id: string, createdAt: number, updatedAt: number, userId: string, person: Person, relatedIds: string[] = []): RecordValues {
  return {
    id,
    version: updatedAt > createdAt ? 2 : 1,
    created_at: isoOf(createdAt),
    created_by: userId,
    updated_at: isoOf(Math.max(createdAt, updatedAt)),
    updated_by: userId,
    owner_id: person.employeeId,
    department_id: person.departmentId,
    related_employee_ids: relatedIds,
  };
}

/**
 * An owned record of a customer: ownedRecord plus the customer link and the copies of the customer's scope keys
 * (server/src/access/customer-scope.ts; copied again once the customer's automatic grants are known, see
 * copyCustomerScope); `customer` null for a record of nobody's customer.
 */
export function customerRecord(id: string, createdAt: number, updatedAt: number, userId: string, person: Person, customer: CustomerFacts | null): RecordValues {
  return {
    id,
    version: updatedAt > createdAt ? 2 : 1,
    created_at: isoOf(createdAt),
    created_by: userId,
    updated_at: isoOf(Math.max(createdAt, updatedAt)),
    updated_by: userId,
    owner_id: person.employeeId,
    department_id: person.departmentId,
    related_employee_ids: [],
    customer_id: customer ? customer.id : null,
    customer_owner_id: customer ? customer.owner.employeeId : null,
    customer_department_id: customer ? customer.owner.departmentId : null,
    customer_related_ids: customer ? customer.relatedIds : [],
  };
}

/** Usually the customer's owner; now and then a colleague of the same branch works the record. */
export function workerFor(random: Random, environment: StoryEnvironment, customer: CustomerFacts, ownerShare: number): Person {
  if (random.chance(ownerShare)) return customer.owner;
  const colleagues = environment.org.colleagues.get(customer.owner.branch) ?? [];
  return colleagues.length > 1 ? random.pick(colleagues) : customer.owner;
}

export const round2 = (value: number) => Math.round(value * 100) / 100;
