package tenant

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v4"

	"github.com/mfapolicy/mfapolicy/policy"
)

// Config is a tenant's MFA configuration as a policy file's `tenant:`
// section states it (policy.TenantConfig without the positions): what
// deploy applies, what `tenant diff` compares, and what `tenant pull
// --section` writes.
type Config struct {
	// Factors are the enabled factors by Action factor type (otp, phone,
	// push-notification, ...): the complete set.
	Factors []string `json:"factors"`
	// PhoneMessageTypes are sms and/or voice; nil when not managed.
	PhoneMessageTypes []string `json:"phone_message_types,omitempty"`
	// MFAPolicy is never, all-applications or confidence-score; empty
	// when not managed.
	MFAPolicy string `json:"mfa_policy,omitempty"`
}

// Enabled reports whether the configuration enables factor f.
func (c Config) Enabled(f string) bool { return slices.Contains(c.Factors, f) }

// Sorted returns c with its factors in the fixed order of ActionFactors
// and its message types as sms, voice.
func (c Config) Sorted() Config {
	out := Config{Factors: []string{}, MFAPolicy: c.MFAPolicy}
	for _, f := range actionFactors {
		if c.Enabled(f) {
			out.Factors = append(out.Factors, f)
		}
	}
	if c.PhoneMessageTypes != nil {
		out.PhoneMessageTypes = []string{}
		for _, t := range []string{"sms", "voice"} {
			if slices.Contains(c.PhoneMessageTypes, t) {
				out.PhoneMessageTypes = append(out.PhoneMessageTypes, t)
			}
		}
	}
	return out
}

// Config returns the file's factors, phone message types (only when the
// phone factor is enabled, as a policy's section may state them only
// then) and MFA policy as a Config.
func (f *File) Config() Config {
	factors, _ := f.EnabledFactors()
	c := Config{Factors: factors}
	if c.Enabled("phone") && f.PhoneMessageTypes != nil {
		c.PhoneMessageTypes = append([]string{}, f.PhoneMessageTypes...)
	}
	if p, ok := f.MFAPolicy(); ok {
		c.MFAPolicy = string(p)
	}
	return c.Sorted()
}

// YAML renders c as a policy file's `tenant:` section, one factor a line
// so that a diff of two sections shows each factor turned on or off. The
// keys not managed (nil message types, empty policy) are left out. head,
// when not empty, is written first as comment lines. Every value goes
// through the YAML encoder, which quotes what needs quoting.
func (c Config) YAML(head string) []byte {
	c = c.Sorted()
	body := &yaml.Node{Kind: yaml.MappingNode}
	add := func(key string, v *yaml.Node) {
		body.Content = append(body.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
	}
	add("factors", seqNode(c.Factors))
	if c.PhoneMessageTypes != nil {
		add("phone_message_types", seqNode(c.PhoneMessageTypes))
	}
	if c.MFAPolicy != "" {
		add("mfa_policy", &yaml.Node{Kind: yaml.ScalarNode, Value: c.MFAPolicy})
	}
	root := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "tenant"}, body}}
	var b bytes.Buffer
	for _, line := range strings.Split(strings.TrimRight(head, "\n"), "\n") {
		if head != "" {
			b.WriteString(commentLine(line))
		}
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		panic(err) // a mapping of strings always encodes
	}
	_ = enc.Close()
	return b.Bytes()
}

func seqNode(items []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode}
	if len(items) == 0 {
		n.Style = yaml.FlowStyle
	}
	for _, it := range items {
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: it})
	}
	return n
}

// commentLine makes line one YAML comment line.
func commentLine(line string) string {
	clean := oneLine(line)
	if clean == "" {
		return "#\n"
	}
	return "# " + clean + "\n"
}

// ConfigOf returns a policy's `tenant:` section as a Config; nil when the
// policy has none.
func ConfigOf(t *policy.TenantConfig) *Config {
	if t == nil {
		return nil
	}
	c := Config{Factors: append([]string{}, t.Factors...), MFAPolicy: t.MFAPolicy}
	if t.PhoneMessageTypes != nil {
		c.PhoneMessageTypes = append([]string{}, t.PhoneMessageTypes...)
	}
	c = c.Sorted()
	return &c
}

// SectionOf renders a pulled file's MFA configuration as a policy's
// `tenant:` section, under a comment naming the tenant, the endpoints
// read and the command (by), and any enabled factor a section cannot
// name.
func SectionOf(f *File, by string) []byte {
	head := []string{
		fmt.Sprintf("The MFA configuration of %s, as `%s` read it from", oneLine(f.Domain), by),
		"GET /api/v2/guardian/factors, /api/v2/guardian/factors/phone/message-types",
		"and /api/v2/guardian/policies. A factor not listed is disabled by `mfapolicy deploy`.",
	}
	for _, fc := range f.Factors {
		if _, ok := factorOfGuardian[fc.Name]; !ok && fc.Enabled {
			head = append(head, fmt.Sprintf("%s is enabled too; a tenant: section cannot name it, and deploy leaves it as it is.", fc.Name))
		}
	}
	return f.Config().YAML(strings.Join(head, "\n"))
}

// oneLine drops control characters and Unicode line breaks, so that no
// text can end a comment line early.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 {
			return -1
		}
		return r
	}, s)
}
