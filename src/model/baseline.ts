/** An earlier JSON report's figures, as read for --baseline. */
export interface BaselineReport {
  file: string;
  asOf?: string;
  /** compliance fractions by metric name ("overall", "first_response", "resolution") */
  compliance: Record<string, number | null>;
  /** every KPI it carried (reports before KPIs carry none) */
  kpis: Record<string, number | null>;
  /** scorecard composites over all tickets: "team-quarterly 一线" -> composite */
  scores: Record<string, number | null>;
  config?: string;
  configDigest?: string;
  inputs?: string[];
}
