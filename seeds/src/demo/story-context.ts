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

/** 负责员工, department (always the owner's, as the records service defaults it) and 相关员工. */
export function ownedBy(person: Person, relatedIds: string[] = []): RecordValues {
  return { owner_id: person.employeeId, department_id: person.departmentId, related_employee_ids: relatedIds };
}

/** The customer link and the copies of the customer's scope keys (server/src/access/customer-scope.ts). */
export function belongsTo(customer: CustomerFacts | null): RecordValues {
  if (!customer) return { customer_id: null, customer_owner_id: null, customer_department_id: null, customer_related_ids: [] };
  return {
    customer_id: customer.id,
    customer_owner_id: customer.owner.employeeId,
    customer_department_id: customer.owner.departmentId,
    customer_related_ids: customer.relatedIds,
  };
}

/** Usually the customer's owner; now and then a colleague of the same branch works the record. */
export function workerFor(random: Random, environment: StoryEnvironment, customer: CustomerFacts, ownerShare: number): Person {
  if (random.chance(ownerShare)) return customer.owner;
  const colleagues = environment.org.colleagues.get(customer.owner.branch) ?? [];
  return colleagues.length > 1 ? random.pick(colleagues) : customer.owner;
}

export const round2 = (value: number) => Math.round(value * 100) / 100;
