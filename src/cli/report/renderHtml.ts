import type { LogReport } from './LogReport.js';
export function renderHtml(
	_report: LogReport,
	_meta: { generatedAt: string; filter: Record<string, string> },
): string {
	return '';
}
