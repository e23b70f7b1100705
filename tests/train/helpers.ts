// Small assertions shared by the train tests.
import * as assert from 'uvu/assert';

// Runs `run`, expecting an Error whose message holds every fragment; `label` names the case on failure.
export function throwsWith(run: () => unknown, fragments: readonly string[], label = fragments.join(', ')): void {
  try {
    run();
  } catch (error) {
    assert.instance(error, Error, label);
    const message = (error as Error).message;
    for (const fragment of fragments) {
      assert.ok(message.includes(fragment), `${label}: expected "${fragment}" in the message "${message}"`);
    }
    return;
  }
  assert.unreachable(`${label}: no error thrown`);
}

export interface Tick {
  /** Pixel position along the axis (x for the x axis, y for the y axis). */
  at: number;
  label: string;
}

// The frame and tick marks of the first plot in a linePlotSvg / decisionRegionsSvg document, read
// back from the markup: a tick is a short <line> followed by its <text> label.
export function readAxes(svg: string): { frame: { top: number; bottom: number }; x: Tick[]; y: Tick[] } {
  const rect = svg.match(/<g class="axes"[^>]*><rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/);
  assert.ok(rect !== null, 'no plot frame in the markup');
  const top = Number(rect[1]);
  const x = [...svg.matchAll(/<line x1="([\d.]+)" y1="[\d.]+" x2="\1" y2="[\d.]+"\/><text [^>]*>([^<]*)<\/text>/g)];
  const y = [...svg.matchAll(/<line x1="[\d.]+" y1="([\d.]+)" x2="[\d.]+" y2="\1"\/><text [^>]*>([^<]*)<\/text>/g)];
  return {
    frame: { top, bottom: top + Number(rect[2]) },
    x: x.map((m) => ({ at: Number(m[1]), label: m[2] })),
    y: y.map((m) => ({ at: Number(m[1]), label: m[2] })),
  };
}
