// Loads the reports the user may run (cached per sign-in, shared by the menu and the screen) and runs one.
import { useEffect, useState } from "react";
import { request, session } from "../../api/client";
import type { ReportAnswer, ReportParameters, ReportSummary } from "./report-types";

let cached: { token: string | null; reports: Promise<ReportSummary[]> } | null = null;

export function loadReports(): Promise<ReportSummary[]> {
  const token = session.token();
  if (!cached || cached.token !== token) {
    const reports = request<{ reports: ReportSummary[] }>("GET", "/api/reports").then((answer) => answer.reports);
    cached = { token, reports };
    // A failure is not remembered: the next screen asks again.
    reports.catch(() => {
      if (cached?.reports === reports) cached = null;
    });
  }
  return cached.reports;
}

/** The reports the signed-in user may run; empty while loading or when the server refuses. */
export function useReports(): ReportSummary[] | null {
  const [reports, setReports] = useState<ReportSummary[] | null>(null);
  useEffect(() => {
    let cancelled = false;
    loadReports().then(
      (loaded) => !cancelled && setReports(loaded),
      () => !cancelled && setReports([]),
    );
    return () => {
      cancelled = true;
    };
  }, []);
  return reports;
}

/** The query string of a report run: empty parameters are left out. */
export function reportQuery(params: ReportParameters): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "") continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export const runReport = (name: string, params: ReportParameters) => request<ReportAnswer>("GET", `/api/reports/${encodeURIComponent(name)}${reportQuery(params)}`);
