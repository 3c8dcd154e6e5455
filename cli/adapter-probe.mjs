// Which WebGPU adapter Dawn offers, asked in a child process of `corespace run --backend auto`: Dawn
// prints its own warnings straight to the process's stderr (lavapipe: "maxDynamic…PerPipelineLayout
// artificially reduced…"), which no JavaScript can silence, so the question is asked here, with
// that stderr captured by the parent. Prints one JSON line: the adapter's info, or null.
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);
const adapter = await create([]).requestAdapter({ powerPreference: 'high-performance' });
const info = adapter?.info;
process.stdout.write(
  `${JSON.stringify(info ? { description: info.description, device: info.device, vendor: info.vendor, architecture: info.architecture, isFallbackAdapter: info.isFallbackAdapter } : null)}\n`,
);
// Dawn's instance keeps the event loop alive.
process.exit(0);
