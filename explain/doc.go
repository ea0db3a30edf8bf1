// Package explain shows why one login got its decision: each rule of the
// policy in order with the value of every sub-expression cel-go evaluated,
// which rule decided, and the api calls the compiled Action made for the
// same event in the simulator. It sits above policy and simulate, which
// know nothing of each other.
//
//	p, _ := policy.Load("policy.yaml")
//	res, _ := compile.Compile(p, compile.Options{})
//	r, err := explain.Explain(ctx, p, res.Code, event, explain.Options{})
//	explain.RenderText(os.Stdout, r)
package explain
