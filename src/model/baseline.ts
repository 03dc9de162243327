/** An earlier JSON report's figures, as read for --baseline. */
export interface BaselineReport {
  file: string;
  asOf?: string;
  /** compliance fractions by metric name ("overall", "first_response", "resolution") */
  compliance: Record<string, number | null>;
}
