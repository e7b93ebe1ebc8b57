import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';

import type { ServerWindow } from './gateway.protocol.js';

// The histogram samples every 10 ms: finer would itself cost CPU that an idle server's figure is made of, and a lag
// worth reporting is tens of milliseconds.
const RESOLUTION_MS = 10;
const NS_PER_MS = 1e6;

/**
 * Windows over which a bench server measures itself: CPU time, and event-loop delay from Node's own histogram
 * (`monitorEventLoopDelay`), which runs only while a window is open so that it costs nothing the rest of the time.
 */
export class ServerWindows {
  private open: { cpu: number; wall: number; histogram: IntervalHistogram } | undefined;

  start(cpu: number): void {
    this.open?.histogram.disable();
    const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    histogram.enable();
    this.open = { cpu, wall: performance.now(), histogram };
  }

  end(cpu: number): ServerWindow {
    const open = this.open;
    if (!open) throw new Error('no window is open');
    this.open = undefined;
    open.histogram.disable();
    // The histogram counts the delay on top of its own resolution.
    const lag = (value: number) => Math.max(0, value / NS_PER_MS - RESOLUTION_MS);
    return {
      cpu: cpu - open.cpu,
      wallMs: performance.now() - open.wall,
      lagP50: lag(open.histogram.percentile(50)),
      lagP99: lag(open.histogram.percentile(99)),
      lagMax: lag(open.histogram.max),
    };
  }
}
