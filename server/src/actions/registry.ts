// Declared record actions (POST /api/objects/:object/records/:id/actions/:action) are resolved
// here. Modules that interpret metadata (CRM document actions, workflow transitions and approvals)
// register a resolver; the first resolver that knows the (object, action) pair handles the call.
import type { Model } from "../registry/model";
import type { RecordsContext } from "../records/service";
import type { ServerContext } from "../api/context";

export interface ActionInvocation {
  server: ServerContext;
  /** The caller's records context (actor, access, the model at the time of the request). */
  context: RecordsContext;
  object: string;
  recordId: string;
  action: string;
  /** The request body (already JSON-parsed; may be undefined or anything: validate it). */
  body: unknown;
}

export interface ActionResult {
  /** HTTP status of the answer (200 when omitted). */
  status?: number;
  body: unknown;
}

export type ActionHandler = (invocation: ActionInvocation) => Promise<ActionResult>;

/** Finds the handler of an action on an object, or undefined when this resolver does not know it. */
export type ActionResolver = (model: Model, object: string, action: string) => ActionHandler | undefined;

const resolvers: ActionResolver[] = [];

export function registerActionResolver(resolver: ActionResolver): void {
  if (!resolvers.includes(resolver)) resolvers.push(resolver);
}

export function resolveAction(model: Model, object: string, action: string): ActionHandler | undefined {
  for (const resolver of resolvers) {
    const handler = resolver(model, object, action);
    if (handler) return handler;
  }
  return undefined;
}
