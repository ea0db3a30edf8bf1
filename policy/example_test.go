package policy_test

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/mfapolicy/mfapolicy/policy"
)

func Example() {
	p, diags := policy.Parse("policy.yaml", []byte(`
name: adaptive-mfa
rules:
  - id: abroad
    when: event.request.geoip.countryCode != 'US'
    then: challenge
    factors: [otp]
default: allow
`))
	if diags.HasErrors() {
		diags.Print(os.Stdout, 20)
		return
	}
	var event any
	_ = json.Unmarshal([]byte(`{"request": {"geoip": {"countryCode": "FR"}}}`), &event)
	d := p.Evaluate(event)
	fmt.Println(d.Rule, d.Outcome, d.Factors)
	// Output: abroad challenge [otp]
}

func Example_diagnostics() {
	_, diags := policy.Parse("policy.yaml", []byte(`name: adaptive-mfa
rules:
  - id: abroad
    when: event.request.geoip.contryCode != 'UK'
    then: challenge
    factors: [otp]
default: allow
`))
	diags.Print(os.Stdout, 20)
	// Output:
	// policy.yaml:4:31: error: rule "abroad": unknown field "contryCode" [unknown-field]
	//  4 |     when: event.request.geoip.contryCode != 'UK'
	//    |                               ^
	//   hint: did you mean "countryCode"?
}
