export function dashboardJson(..._a: unknown[]): string { return ""; }
