// Public API of @crm/metadata: the metadata language's types, JSON Schemas, validation and canonical form.
export * from "./types";
export * from "./schemas";
export * from "./validate";
export * from "./canonical";
