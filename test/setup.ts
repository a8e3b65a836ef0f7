// Loaded by mocha before every spec (.mocharc.json "require").
import * as fc from "fast-check";

// Property-based tests explore new inputs on every local run; CI uses a fixed seed so that a red
// run is never a coin toss and can be replayed. NONSTOP_PROPERTY_SEED replays a reported failure.
const seed = process.env.NONSTOP_PROPERTY_SEED !== undefined ? Number(process.env.NONSTOP_PROPERTY_SEED) : process.env.CI ? 20261125 : undefined;
if (seed !== undefined && Number.isFinite(seed)) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
