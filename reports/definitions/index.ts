// Every report, by name, in the order --list shows them.
import type { ReportDefinition } from '../types.ts';
import { auditReviewReport } from './audit-review.ts';
import { caseProcessingReport } from './case-processing.ts';
import { cleanSlateReport } from './clean-slate.ts';
import { discrepanciesReport } from './discrepancies.ts';
import { populationReport } from './population.ts';
import { protectiveOrdersReport } from './protective-orders.ts';
import { recidivismReport } from './recidivism.ts';
import { timeToDispositionReport } from './time-to-disposition.ts';
import { warrantsReport } from './warrants.ts';

export const REPORTS: ReportDefinition[] = [
  caseProcessingReport, timeToDispositionReport, populationReport, warrantsReport, protectiveOrdersReport, recidivismReport, discrepanciesReport, cleanSlateReport, auditReviewReport,
];

export function findReport(name: string): ReportDefinition | undefined {
  return REPORTS.find((report) => report.name === name);
}
