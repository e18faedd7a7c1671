// The demo data generator of the distribution pack (npm run demo:generate; npm start on an empty database).
export { generateDemoData, formatSummary, MAX_CUSTOMERS, type DemoDataOptions, type DemoDataSummary } from "./generate";
