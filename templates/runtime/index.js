// The CEL runtime for compiled policies. The compiler imports it as a
// namespace and esbuild keeps only the helpers a policy uses.
export * from "./core.js";
export * from "./arith.js";
export * from "./compare.js";
export * from "./containers.js";
export * from "./convert.js";
export * from "./fields.js";
export * from "./logic.js";
export * from "./net.js";
export * from "./strings.js";
export * from "./time.js";
export * from "./bytes.js";
