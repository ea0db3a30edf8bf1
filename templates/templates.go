package templates

import "embed"

// FS holds the runtime modules and the Action entry template, with paths
// such as "runtime/index.js" and "action.js".
//
//go:embed runtime/*.js action.js
var FS embed.FS
