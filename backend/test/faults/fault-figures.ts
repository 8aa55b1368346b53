/**
 * Prints what a fault test measured as one JSON line on stdout, written directly (Jest decorates
 * `console.log` with a stack location), so a run's figures can be collected with `grep '"fault"'`.
 */
export function reportFigure(figure: { fault: string } & Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}
