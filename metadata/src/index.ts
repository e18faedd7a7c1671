// Public API of @crm/metadata: the metadata language's types, JSON Schemas, validation and canonical form.
export * from "./types";
export * from "./actions";
export * from "./schemas";
export * from "./validate";
export * from "./canonical";
export * from "./workflow";
export * from "./layout";
export { checkLayout, showableFields } from "./layout-checks";
export { defaultLayout } from "./default-layout";
export { fitLayout, pruneLayout, renameLayoutFields } from "./layout-prune";
export { detailLayoutFor } from "./layout-record-types";
export { relationsOf, type RelationRef } from "./relations";
export { APPROVAL_ACTIONS, WORKFLOW_CONTEXT_VARIABLES, reachableStates } from "./workflow-checks";
