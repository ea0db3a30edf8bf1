package policy

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"cel.dev/cel-go/common/types"
)

// evalCase is one condition evaluated by the reference evaluator on one
// event.
type evalCase struct {
	when string
	// event is the JSON event; "" is {}.
	event string
	// lists is the YAML of the policy's lists mapping, if any.
	lists string
	// want is "true", "false" or "error: " and a part of the message.
	want string
}

// Events the cases read.
const (
	evUS = `{"request": {"ip": "10.1.2.3", "geoip": {"countryCode": "US", "latitude": 47.6, "longitude": -122.2}},
		"stats": {"logins_count": 3},
		"user": {"email": "ana@example.com", "email_verified": true, "name": "Ana",
			"app_metadata": {"tier": "gold", "level": 3, "tags": ["a", "b"], "nested": {"k": "v"}, "nothing": null},
			"enrolledFactors": [{"type": "otp"}, {"type": "webauthn-platform"}]},
		"authorization": {"roles": ["admin", "support"]},
		"authentication": {"methods": [{"name": "pwd", "timestamp": "2026-01-01T00:00:00Z"}],
			"riskAssessment": {"confidence": "low", "version": "1",
				"assessments": {"NewDevice": {"confidence": "low", "code": "no_match"}}}},
		"client": {"client_id": "abc", "name": "Portal", "metadata": {"team": "hr"}}}`
	evV6 = `{"request": {"ip": "2001:db8::1"}}`
)

// ev returns an event whose request.ip is ip.
func evIP(ip string) string { return fmt.Sprintf(`{"request": {"ip": %q}}`, ip) }

var evalCases = []evalCase{
	// logic and CEL's commutative error absorption
	{when: "!false", want: "true"},
	{when: "!(event.stats.logins_count == 3)", event: evUS, want: "false"},
	{when: "true && event.stats.logins_count == 3", event: evUS, want: "true"},
	{when: "event.stats.logins_count == 3 || false", event: evUS, want: "true"},
	{when: "true || 1 / 0 == 0", want: "true"},
	{when: "1 / 0 == 0 || true", want: "true"},
	{when: "false && 1 / 0 == 0", want: "false"},
	{when: "1 / 0 == 0 && false", want: "false"},
	{when: "1 / 0 == 0 || false", want: "error: division by zero"},
	{when: "false || 1 / 0 == 0", want: "error: division by zero"},
	{when: "1 / 0 == 0 && true", want: "error: division by zero"},
	{when: "1 % 0 == 0 || 1 / 0 == 0", want: "error: modulus by zero"},
	{when: "!(1 / 0 == 0)", want: "error: division by zero"},
	{when: "event.stats.logins_count > 2 ? true : 1 / 0 == 0", event: evUS, want: "true"},
	{when: "event.stats.logins_count > 5 ? true : event.user.name == 'Ana'", event: evUS, want: "true"},
	{when: "(1 / 0 == 0) ? true : false", want: "error: division by zero"},
	{when: "dyn(event.stats.logins_count) == 3", event: evUS, want: "true"},
	{when: "dyn(1) == dyn(1.0)", want: "true"},

	// macros: exists and all absorb errors, exists_one propagates them
	{when: "[0, 1].exists(x, 1 / x == 1)", want: "true"},
	{when: "[0].exists(x, 1 / x == 1)", want: "error: division by zero"},
	{when: "[0, 1].all(x, 1 / x == 5)", want: "false"},
	{when: "[0, 1].all(x, 1 / x == 1)", want: "error: division by zero"},
	{when: "[1, 2].all(x, x > 0)", want: "true"},
	{when: "[0, 1].exists_one(x, 1 / x == 1)", want: "error: division by zero"},
	{when: "[1, 2].exists_one(x, x > 1)", want: "true"},
	{when: "[1, 2].exists_one(x, x > 0)", want: "false"},
	{when: "[1, 2].map(x, x * 2) == [2, 4]", want: "true"},
	{when: "[1, 2, 3].filter(x, x % 2 == 1) == [1, 3]", want: "true"},
	{when: "[1, 2].map(x, x > 1, x * 10) == [20]", want: "true"},
	{when: "event.user.enrolledFactors.exists(f, f.type == 'otp')", event: evUS, want: "true"},
	{when: "event.user.enrolledFactors.exists(f, f.type == 'otp')", want: "false"},
	{when: "event.user.enrolledFactors.all(f, f.type == 'otp')", want: "true"},
	{when: "{'a': 1, 'b': 2}.all(k, k in ['a', 'b'])", want: "true"},

	// integer arithmetic: 64-bit, overflow is an error
	{when: "-event.stats.logins_count == -3", event: evUS, want: "true"},
	{when: "-(-9223372036854775807 - 1) == 0", want: "error: overflow"},
	{when: "-event.request.geoip.longitude > 122.0", event: evUS, want: "true"},
	{when: "event.stats.logins_count + 1 == 4", event: evUS, want: "true"},
	{when: "9223372036854775807 + event.stats.logins_count > 0", event: evUS, want: "error: overflow"},
	{when: "event.stats.logins_count - 4 == -1", event: evUS, want: "true"},
	{when: "-9223372036854775807 - event.stats.logins_count < 0", event: evUS, want: "error: overflow"},
	{when: "event.stats.logins_count * 2 == 6", event: evUS, want: "true"},
	{when: "4611686018427387904 * event.stats.logins_count > 0", event: evUS, want: "error: overflow"},
	{when: "7 / 2 == 3 && -7 / 2 == -3", want: "true"},
	{when: "event.stats.logins_count / 0 == 0", event: evUS, want: "error: division by zero"},
	{when: "(-9223372036854775807 - 1) / -1 < 0", want: "error: overflow"},
	{when: "7 % 3 == 1 && -7 % 3 == -1", want: "true"},
	{when: "event.stats.logins_count % 0 == 0", event: evUS, want: "error: modulus by zero"},
	{when: "(-9223372036854775807 - 1) % -1 == 0", want: "error: overflow"},

	// unsigned arithmetic
	{when: "1u + 2u == 3u", want: "true"},
	{when: "18446744073709551615u + 1u > 0u", want: "error: overflow"},
	{when: "3u - 2u == 1u", want: "true"},
	{when: "1u - 2u > 0u", want: "error: overflow"},
	{when: "3u * 2u == 6u", want: "true"},
	{when: "9223372036854775808u * 2u > 0u", want: "error: overflow"},
	{when: "7u / 2u == 3u", want: "true"},
	{when: "7u / 0u == 0u", want: "error: division by zero"},
	{when: "7u % 4u == 3u", want: "true"},
	{when: "7u % 0u == 0u", want: "error: modulus by zero"},

	// double arithmetic: IEEE 754, no errors
	{when: "1.5 + event.request.geoip.latitude == 49.1", event: evUS, want: "true"},
	{when: "event.request.geoip.latitude - 0.6 == 47.0", event: evUS, want: "true"},
	{when: "0.5 * 3.0 == 1.5", want: "true"},
	{when: "1.0 / 0.0 > 1e308", want: "true"},
	{when: "-1.0 / 0.0 < -1e308", want: "true"},
	{when: "0.0 / 0.0 != 0.0 / 0.0", want: "true"},

	// strings and lists
	{when: "event.user.name + '!' == 'Ana!'", event: evUS, want: "true"},
	{when: "event.authorization.roles + ['x'] == ['admin', 'support', 'x']", event: evUS, want: "true"},
	{when: "size(['a'] + []) == 1", want: "true"},

	// equality: heterogeneous numbers, lists, maps, null
	{when: "dyn(event.stats.logins_count) == 3.0", event: evUS, want: "true"},
	{when: "dyn(3u) == 3 && dyn(3) == 3.0", want: "true"},
	{when: "event.stats.logins_count == 3.0", event: evUS, want: "reject: cel-type"},
	{when: "event.request.geoip.countryCode == 'US'", event: evUS, want: "true"},
	{when: "[1, 2] == [1, 2] && {'a': 1} == {'a': dyn(1.0)}", want: "true"},
	{when: "{'a': 1} == {'a': 1.0}", want: "reject: cel-type"},
	{when: "null == null", want: "true"},
	{when: "event.user.app_metadata.nothing == null", event: evUS, want: "true"},
	{when: "event.request.geoip.countryCode != 'US'", event: evUS, want: "false"},
	{when: "dyn(1) != 1.5", want: "true"},
	{when: "event.request.geoip == event.request.geoip", event: evUS, want: "reject: object-equality"},

	// membership and indexing
	{when: "event.request.geoip.countryCode in ['US', 'CA']", event: evUS, want: "true"},
	{when: "dyn(3) in [1.0, 3.0]", want: "true"},
	{when: "'admin' in event.authorization.roles", event: evUS, want: "true"},
	{when: "'tier' in event.user.app_metadata", event: evUS, want: "true"},
	{when: "'missing' in event.user.app_metadata", event: evUS, want: "false"},
	{when: "'team' in event.client.metadata", event: evUS, want: "true"},
	{when: "[10, 20][1] == 20", want: "true"},
	{when: "[10, 20][2] == 20", want: "error: index out of bounds"},
	{when: "event.authentication.methods[0].name == 'pwd'", event: evUS, want: "true"},
	{when: "event.authentication.methods[0].name == 'pwd'", want: "error: index out of bounds"},
	{when: "event.user.app_metadata['tier'] == 'gold'", event: evUS, want: "true"},
	{when: "event.user.app_metadata['plan'] == 'gold'", event: evUS, want: "error: no such key"},
	{when: "event.client.metadata['team'] == 'hr'", event: evUS, want: "true"},
	{when: "{'a': 1}['a'] == 1", want: "true"},

	// strings
	{when: "size('héllo') == 5", want: "true"},
	{when: "'héllo'.size() == 5", want: "true"},
	{when: "size(event.authorization.roles) == 2", event: evUS, want: "true"},
	{when: "event.authorization.roles.size() == 2", event: evUS, want: "true"},
	{when: "size(event.user.app_metadata) == 5", event: evUS, want: "true"},
	{when: "event.client.metadata.size() == 1", event: evUS, want: "true"},
	{when: "event.user.email.contains('@example')", event: evUS, want: "true"},
	{when: "event.user.email.startsWith('ana@')", event: evUS, want: "true"},
	{when: "event.user.email.endsWith('@example.com')", event: evUS, want: "true"},
	{when: "event.user.email.endsWith('@EXAMPLE.com')", event: evUS, want: "false"},
	{when: "event.user.email.matches('^[a-z]+@example\\\\.com$')", event: evUS, want: "true"},
	{when: "matches(event.user.email, 'example')", event: evUS, want: "true"},
	{when: "event.user.email.matches(event.user.name)", event: `{"user": {"email": "a", "name": "["}}`, want: "error: missing closing ]"},
	{when: "'ÄBc'.lowerAscii() == 'Äbc'", want: "true"},
	{when: "'äbC'.upperAscii() == 'äBC'", want: "true"},

	// conversions
	{when: "int(event.stats.logins_count) == 3", event: evUS, want: "true"},
	{when: "int(3u) == 3", want: "true"},
	{when: "int(18446744073709551615u) > 0", want: "error: integer overflow"},
	{when: "int(1.9) == 1 && int(-1.9) == -1", want: "true"},
	{when: "int(event.request.geoip.latitude * 1e18) > 0", event: evUS, want: "error: integer overflow"},
	{when: "int('42') == 42", want: "true"},
	{when: "int(event.user.name) == 0", event: evUS, want: "error: type conversion error"},
	{when: "uint(3) == 3u", want: "true"},
	{when: "uint(-event.stats.logins_count) > 0u", event: evUS, want: "error: unsigned integer overflow"},
	{when: "uint(3u) == 3u", want: "true"},
	{when: "uint(1.5) == 1u", want: "true"},
	{when: "uint(-1.5) == 0u", want: "error: unsigned integer overflow"},
	{when: "uint('42') == 42u", want: "true"},
	{when: "uint('-1') == 0u", want: "error: type conversion error"},
	{when: "double(event.stats.logins_count) == 3.0", event: evUS, want: "true"},
	{when: "double(3u) == 3.0", want: "true"},
	{when: "double(1.5) == 1.5", want: "true"},
	{when: "string(-5) == '-5'", want: "true"},
	{when: "string(5u) == '5'", want: "true"},
	{when: "string(event.user.name) == 'Ana'", event: evUS, want: "true"},
	{when: "string(event.user.email_verified) == 'true'", event: evUS, want: "true"},
	{when: "bool(event.user.email_verified)", event: evUS, want: "true"},
	{when: "bool('true') && !bool('False') && bool('t')", want: "true"},
	{when: "bool(event.user.name)", event: evUS, want: "error: type conversion error"},
	{when: "string(1.5) == '1.5' && string(1e6) == '1e+06' && string(-0.0001) == '-0.0001' && string(1.0 / 0.0) == '+Inf'", want: "true"},
	{when: "string(event.user.app_metadata.level) == '3'", event: evUS, want: "reject: unsupported-function"},
	{when: "int(event.user.app_metadata.level) == 3", event: evUS, want: "reject: unsupported-function"},
	{when: "event.user.app_metadata.level >= 3 && size(event.user.app_metadata.tags) == 2", event: evUS, want: "true"},
	{when: "event.user.app_metadata.tier.startsWith('g')", event: evUS, want: "true"},
	{when: "event.user.app_metadata.level.startsWith('g')", event: evUS, want: "error: no such overload"},
	{when: "double('1.5') == 1.5", want: "reject: unsupported-function"},

	// ordering, same types
	{when: "false < true && !(true < true)", want: "true"},
	{when: "false <= false", want: "true"},
	{when: "true > false", want: "true"},
	{when: "true >= true", want: "true"},
	{when: "event.stats.logins_count < 4", event: evUS, want: "true"},
	{when: "event.stats.logins_count <= 3", event: evUS, want: "true"},
	{when: "event.stats.logins_count > 3", event: evUS, want: "false"},
	{when: "event.stats.logins_count >= 3", event: evUS, want: "true"},
	{when: "1u < 2u", want: "true"},
	{when: "2u <= 2u", want: "true"},
	{when: "3u > 2u", want: "true"},
	{when: "2u >= 3u", want: "false"},
	{when: "event.request.geoip.latitude < 50.0", event: evUS, want: "true"},
	{when: "event.request.geoip.latitude <= 47.6", event: evUS, want: "true"},
	{when: "event.request.geoip.latitude > 47.6", event: evUS, want: "false"},
	{when: "event.request.geoip.latitude >= 47.6", event: evUS, want: "true"},
	{when: "0.0 / 0.0 < 1.0 || 0.0 / 0.0 >= 1.0", want: "false"},
	{when: "'a' < 'b' && 'B' < 'a'", want: "true"},
	{when: "'é' <= 'é'", want: "true"},
	{when: "'b' > 'a'", want: "true"},
	{when: "'ab' >= 'abc'", want: "false"},

	// ordering across numeric types (cel.CrossTypeNumericComparisons)
	{when: "event.stats.logins_count < 3.5", event: evUS, want: "true"},
	{when: "event.stats.logins_count < 4u", event: evUS, want: "true"},
	{when: "-1 < 0u", want: "true"},
	{when: "3u < 3.5", want: "true"},
	{when: "3u < 4", want: "true"},
	{when: "18446744073709551615u < 1", want: "false"},
	{when: "2.5 < event.stats.logins_count", event: evUS, want: "true"},
	{when: "2.5 < 3u", want: "true"},
	{when: "event.stats.logins_count <= 3.0", event: evUS, want: "true"},
	{when: "3 <= 3u", want: "true"},
	{when: "3u <= 3.0", want: "true"},
	{when: "3u <= -1", want: "false"},
	{when: "3.0 <= 3", want: "true"},
	{when: "3.0 <= 3u", want: "true"},
	{when: "event.stats.logins_count > 2.5", event: evUS, want: "true"},
	{when: "3 > 2u", want: "true"},
	{when: "3u > 2.5", want: "true"},
	{when: "3u > -1", want: "true"},
	{when: "3.5 > 3", want: "true"},
	{when: "3.5 > 3u", want: "true"},
	{when: "event.stats.logins_count >= 3.0", event: evUS, want: "true"},
	{when: "-1 >= 0u", want: "false"},
	{when: "3u >= 3.0", want: "true"},
	{when: "3u >= 3", want: "true"},
	{when: "1e300 >= 9223372036854775807", want: "true"},
	{when: "3.0 >= 3u", want: "true"},

	// network: ip() and cidr(), IPv4 and IPv6, strict parsing
	{when: "ip(event.request.ip) == ip('10.1.2.3')", event: evUS, want: "true"},
	{when: "ip(event.request.ip) == ip('10.1.2.3')", event: evIP("10.1.2.03"), want: "error: leading zero"},
	{when: "ip(event.request.ip).family() == 6", event: evIP("::ffff:10.1.2.3"), want: "error: IPv4-mapped"},
	{when: "ip(event.request.ip).family() == 6", event: evIP("fe80::1%eth0"), want: "error: zone"},
	{when: "ip(event.request.ip).family() == 6", event: evV6, want: "true"},
	{when: "ip('10.0.0.1').family() == 4", want: "true"},
	{when: "isIP(event.request.ip)", event: evV6, want: "true"},
	{when: "isIP(event.request.ip)", event: evIP("10.0.0.01"), want: "false"},
	{when: "isIP(event.request.ip)", event: evIP(""), want: "false"},
	{when: "isCIDR('10.0.0.0/8') && !isCIDR('10.0.0.0/33') && isCIDR('2001:db8::/32')", want: "true"},
	{when: "string(ip('2001:DB8::1')) == '2001:db8::1'", want: "true"},
	{when: "string(cidr('10.0.0.0/8')) == '10.0.0.0/8'", want: "true"},
	{when: "ip.isCanonical('2001:db8::1') && !ip.isCanonical('2001:DB8::1')", want: "true"},
	{when: "ip.isCanonical(event.request.ip)", event: evIP("not an ip"), want: "error: IP Address"},
	{when: "ip('127.0.0.1').isLoopback() && ip('::1').isLoopback()", want: "true"},
	{when: "ip('0.0.0.0').isUnspecified() && ip('::').isUnspecified()", want: "true"},
	{when: "ip('8.8.8.8').isGlobalUnicast() && !ip('255.255.255.255').isGlobalUnicast()", want: "true"},
	{when: "ip('224.0.0.1').isLinkLocalMulticast() && ip('ff02::1').isLinkLocalMulticast()", want: "true"},
	{when: "ip('169.254.1.1').isLinkLocalUnicast() && ip('fe80::1').isLinkLocalUnicast()", want: "true"},
	{when: "cidr('10.0.0.0/8').containsIP(ip(event.request.ip))", event: evUS, want: "true"},
	{when: "cidr('10.0.0.0/8').containsIP(event.request.ip)", event: evUS, want: "true"},
	{when: "cidr('10.0.0.0/8').containsIP(event.request.ip)", event: evV6, want: "false"},
	{when: "cidr('2001:db8::/32').containsIP(event.request.ip)", event: evV6, want: "true"},
	{when: "cidr('::ffff:0:0/96').containsIP(event.request.ip)", event: evUS, want: "reject: invalid-ip"},
	{when: "cidr(event.request.ip).prefixLength() == 96", event: evIP("::ffff:0:0/96"), want: "error: IPv4-mapped"},
	{when: "cidr('::/0').containsIP(event.request.ip)", event: evUS, want: "false"},
	{when: "cidr('10.0.0.0/8').containsIP(event.request.ip)", event: evIP("10.0.0.1/8"), want: "error: IP Address"},
	{when: "cidr('10.0.0.0/8').containsIP(event.request.ip)", want: "error: IP Address"},
	{when: "cidr('10.0.0.0/8').containsCIDR(cidr('10.1.0.0/16'))", want: "true"},
	{when: "cidr('10.1.0.0/16').containsCIDR('10.0.0.0/8')", want: "false"},
	{when: "cidr('10.1.2.3/8').ip() == ip('10.1.2.3')", want: "true"},
	{when: "cidr('10.1.2.3/8').masked() == cidr('10.0.0.0/8')", want: "true"},
	{when: "cidr('2001:db8::/32').prefixLength() == 32", want: "true"},
	{when: "cidr('10.0.0.0/8').isMask() && !cidr('10.1.0.0/8').isMask()", want: "true"},
	{when: "ip('10.0.0.01') == ip('10.0.0.1')", want: "reject: invalid-ip"},

	// typed fields and missing data (docs/semantics.md)
	{when: "event.request.geoip.countryCode == ''", want: "true"},
	{when: "event.request.geoip.countryCode == ''", event: `{"request": {"geoip": null}}`, want: "true"},
	{when: "event.request.geoip.latitude == 0.0", event: `{"request": {"geoip": {"latitude": null}}}`, want: "true"},
	{when: "event.authentication.riskAssessment.confidence == ''", event: `{"authentication": {}}`, want: "true"},
	{when: "event.authentication.riskAssessment.assessments.NewDevice.code == ''", want: "true"},
	{when: "event.stats.logins_count == 0 && !event.user.email_verified", want: "true"},
	{when: "size(event.authorization.roles) == 0 && size(event.user.app_metadata) == 0", want: "true"},
	{when: "!has(event.request.geoip)", want: "true"},
	{when: "!has(event.request.geoip)", event: `{"request": {"geoip": null}}`, want: "true"},
	{when: "has(event.request.geoip)", event: `{"request": {"geoip": {}}}`, want: "true"},
	{when: "has(event.request.geoip.countryCode)", event: evUS, want: "true"},
	{when: "has(event.request.geoip.countryCode)", event: `{"request": {"geoip": {"countryCode": ""}}}`, want: "true"},
	{when: "has(event.user.app_metadata.tier)", event: evUS, want: "true"},
	{when: "has(event.user.app_metadata.plan)", event: evUS, want: "false"},
	{when: "has(event.user.app_metadata.nested.k)", event: evUS, want: "true"},
	{when: "event.user.app_metadata.tier == 'gold'", event: evUS, want: "true"},
	{when: "event.user.app_metadata.plan == 'gold'", event: evUS, want: "error: no such key"},
	{when: "event.user.app_metadata.level == 3", event: evUS, want: "true"},
	{when: "event.user.app_metadata.level + 1 == 4", event: evUS, want: "error: no such overload"},
	{when: "'a' in event.user.app_metadata.tags", event: evUS, want: "true"},
	{when: "event.request.ip == '1'", event: `{"request": {"ip": 1}}`, want: "error: event.request.ip: expected a string, got a number"},
	{when: "event.user.email_verified", event: `{"user": {"email_verified": "yes"}}`, want: "error: event.user.email_verified: expected a boolean, got a string"},
	{when: "event.request.geoip.latitude > 0.0", event: `{"request": {"geoip": {"latitude": "47"}}}`, want: "error: event.request.geoip.latitude: expected a number, got a string"},
	{when: "event.request.ip == ''", event: `{"request": "10.0.0.1"}`, want: "error: event.request: expected an object, got a string"},
	{when: "event.stats.logins_count == 1", event: `{"stats": {"logins_count": 1.5}}`, want: "error: event.stats.logins_count: 1.5 is not a whole number"},
	{when: "event.stats.logins_count == 1", event: `{"stats": {"logins_count": 1e19}}`, want: "error: event.stats.logins_count: 1e+19 is not a whole number"},
	{when: "event.stats.logins_count == 1", event: `{"stats": {"logins_count": 9223372036854775808}}`, want: "error: not a whole number in the int range"},
	{when: "event.stats.logins_count < 0", event: `{"stats": {"logins_count": -9223372036854775808}}`, want: "true"},
	{when: "event.stats.logins_count == 100", event: `{"stats": {"logins_count": 1e2}}`, want: "true"},
	{when: "'admin' in event.authorization.roles", event: `{"authorization": {"roles": ["admin", 1]}}`, want: "error: event.authorization.roles[1]: expected a string, got a number"},
	{when: "size(event.authorization.roles) == 0", event: `{"authorization": {"roles": "admin"}}`, want: "error: expected an array of strings, got a string"},
	{when: "event.client.metadata.team == 'hr'", event: `{"client": {"metadata": {"team": 1}}}`, want: "error: event.client.metadata.team: expected a string, got a number"},
	{when: "event.user.enrolledFactors.exists(f, f.type == 'otp')", event: `{"user": {"enrolledFactors": ["otp"]}}`, want: "error: event.user.enrolledFactors[0]: expected an object, got a string"},
	{when: "event.user.app_metadata.tier == 'gold'", event: `{"user": {"app_metadata": []}}`, want: "error: event.user.app_metadata: expected an object, got an array"},
	{when: "false && event.request.ip == ''", event: `{"request": {"ip": 1}}`, want: "false"},
	{when: "event.tenant.id == 't' && event.transaction.protocol == 'oidc-basic-profile'",
		event: `{"tenant": {"id": "t"}, "transaction": {"protocol": "oidc-basic-profile", "acr_values": []}}`, want: "true"},

	// lists.NAME of each type
	{when: "event.request.geoip.countryCode in lists.home", event: evUS, lists: "home: [US, CA]", want: "true"},
	{when: "event.stats.logins_count in lists.counts", event: evUS, lists: "counts: [1, 3]", want: "true"},
	{when: "event.request.geoip.latitude in lists.lats", event: evUS, lists: "lats: [1, 47.6]", want: "true"},
	{when: "event.user.email_verified in lists.flags", event: evUS, lists: "flags: [true]", want: "true"},
	{when: "size(lists.home) == 2 && lists.home[0] == 'US'", lists: "home: [US, CA]", want: "true"},
	{when: "lists.home.exists(c, c == event.request.geoip.countryCode)", lists: "home: [US, CA]", want: "false"},

	// type()
	{when: "type(event.stats.logins_count) == int && type(type(1)) == type && type([1]) == list && type({'a': 1}) == map", event: evUS, want: "true"},
	{when: "type(now) == google.protobuf.Timestamp && type(b'x') == bytes && type(null) == null_type && type(1u) != int", want: "true"},
	{when: "type(event.request) == map", want: "reject: unsupported-function"},
	{when: "type(event.user.app_metadata.level) == double", want: "reject: unsupported-function"},

	// bytes
	{when: "bytes(event.user.name) == b'Ana' && size(bytes('é')) == 2 && bytes('é').size() == 2", event: evUS, want: "true"},
	{when: "string(b'\\xc3\\xa9' + bytes(bytes('!'))) == 'é!'", want: "true"},
	{when: "string(b'\\xff') == ''", want: "error: invalid UTF-8"},
	{when: "b'a' < b'b' && b'a' <= b'a' && b'b' > b'a' && b'b' >= b'b'", want: "true"},

	// two-variable comprehensions
	{when: "event.user.app_metadata.exists(k, v, k == 'tier' && v == 'gold')", event: evUS, want: "true"},
	{when: "event.authorization.roles.all(i, r, i < 2 && r != '')", event: evUS, want: "true"},
	{when: "event.authorization.roles.transformList(i, r, i == 1, r) == ['support']", event: evUS, want: "true"},
	{when: "event.user.app_metadata.transformMap(k, v, k.startsWith('t'), v) == {'tier': 'gold', 'tags': ['a', 'b']}", event: evUS, want: "true"},
	{when: "event.user.app_metadata.transformMapEntry(k, v, {'same': v}).size() == 1", event: evUS, want: "error: already exists"},

	// timestamps and durations
	{when: "event.authentication.methods.exists(m, now - timestamp(m.timestamp) < duration('12h'))", event: evUS, want: "false"},
	{when: "timestamp(event.authentication.methods[0].timestamp) == timestamp(timestamp('2026-01-01T01:00:00+01:00'))", event: evUS, want: "true"},
	{when: "string(timestamp('2026-01-01T01:00:00+01:00') + duration('90m')) == '2026-01-01T02:30:00+01:00'", want: "true"},
	{when: "string(duration('1h30m')) == '5400s' && int(duration('1ms')) == 1000000", want: "true"},
	{when: "int(timestamp('1970-01-01T00:00:01.9Z')) == 1 && timestamp(2) == timestamp('1970-01-01T00:00:02Z')", want: "true"},
	{when: "duration('1h') + duration(duration('1h')) - duration('30m') == duration('90m')", want: "true"},
	{when: "duration('1h') + timestamp('2026-01-01T00:00:00Z') - duration('1h') < timestamp('2026-01-01T00:00:01Z')", want: "true"},
	{when: "timestamp('2026-01-01T00:00:00Z') - timestamp('0001-01-01T00:00:00Z') > duration('0')", want: "error: overflow"},
	{when: "timestamp('0001-01-01T00:00:00Z') - duration('1ns') > timestamp('0001-01-01T00:00:00Z')", want: "error: timestamp overflow"},
	{when: "timestamp('2026-02-29T00:00:00Z') < now", want: "error: conversion"},
	{when: "duration('1h') <= duration('1h') && duration('2h') > duration('1h') && duration('2h') >= duration('2h') && !(duration('2h') < duration('1h'))", want: "true"},
	{when: "now <= now && now >= now && !(now > now) && !(now < now)", want: "true"},
	{when: "[duration('1h30m15.5s').getHours(), duration('1h30m15.5s').getMinutes(), duration('1h30m15.5s').getSeconds(), duration('1h30m15.5s').getMilliseconds()] == [1, 90, 5415, 5415500]", want: "true"},
	{when: "[timestamp('2026-03-01T23:30:05.25Z').getFullYear(), timestamp('2026-03-01T23:30:05.25Z').getMonth(), timestamp('2026-03-01T23:30:05.25Z').getDayOfYear(), timestamp('2026-03-01T23:30:05.25Z').getDate(), timestamp('2026-03-01T23:30:05.25Z').getDayOfMonth()] == [2026, 2, 59, 1, 0]", want: "true"},
	{when: "[timestamp('2026-03-01T23:30:05.25Z').getDayOfWeek(), timestamp('2026-03-01T23:30:05.25Z').getHours(), timestamp('2026-03-01T23:30:05.25Z').getMinutes(), timestamp('2026-03-01T23:30:05.25Z').getSeconds(), timestamp('2026-03-01T23:30:05.25Z').getMilliseconds()] == [0, 23, 30, 5, 250]", want: "true"},
	{when: "[timestamp('2026-12-31T23:30:05Z').getFullYear('+01:00'), timestamp('2026-12-31T23:30:05Z').getMonth('+01:00'), timestamp('2026-12-31T23:30:05Z').getDayOfYear('+01:00'), timestamp('2026-12-31T23:30:05Z').getDate('+01:00'), timestamp('2026-12-31T23:30:05Z').getDayOfMonth('+01:00')] == [2027, 0, 0, 1, 0]", want: "true"},
	{when: "[timestamp('2026-12-31T23:30:05.5Z').getDayOfWeek('-01:00'), timestamp('2026-12-31T23:30:05.5Z').getHours('-01:00'), timestamp('2026-12-31T23:30:05.5Z').getMinutes('+00:45'), timestamp('2026-12-31T23:30:05.5Z').getSeconds('UTC'), timestamp('2026-12-31T23:30:05.5Z').getMilliseconds('')] == [4, 22, 15, 5, 500]", want: "true"},
	{when: "now.getHours('Europe/Paris') == 1", want: "reject: unsupported-function"},
	{when: "now.getHours('+24:00') == 1", want: "reject: unsupported-function"},
	{when: "now.getHours(event.user.name) == 1", want: "reject: unsupported-function"},
}

// compileCase builds a one-rule policy around a case's condition.
func compileCase(t *testing.T, c evalCase) (*Policy, string) {
	t.Helper()
	when, _ := json.Marshal(c.when) // a JSON string is a YAML double-quoted scalar
	var b strings.Builder
	b.WriteString("name: eval\n")
	if c.lists != "" {
		b.WriteString("lists:\n  " + c.lists + "\n")
	}
	fmt.Fprintf(&b, "rules:\n  - id: r\n    when: %s\n    then: deny\n    reason: matched\ndefault: allow\n", when)
	p, diags := Parse("eval.yaml", []byte(b.String()))
	if diags.HasErrors() {
		var codes []string
		for _, d := range diags.Errors() {
			codes = append(codes, d.Code)
		}
		return nil, strings.Join(codes, ",") + ": " + diags.Error()
	}
	return p, ""
}

func decodeEvent(t *testing.T, s string) any {
	t.Helper()
	if s == "" {
		return map[string]any{}
	}
	var ev any
	if err := json.Unmarshal([]byte(s), &ev); err != nil {
		t.Fatalf("bad test event %s: %v", s, err)
	}
	return ev
}

// TestEvaluateTable runs every case through the reference evaluator.
// Cases whose want starts with "reject: " must fail the check with that
// diagnostic code instead.
func TestEvaluateTable(t *testing.T) {
	for i, c := range evalCases {
		t.Run(fmt.Sprintf("%03d", i), func(t *testing.T) {
			p, problem := compileCase(t, c)
			if code, ok := strings.CutPrefix(c.want, "reject: "); ok {
				if !strings.Contains(problem, code) {
					t.Errorf("%s\n  want the check to reject it with %s; got %q", c.when, code, problem)
				}
				return
			}
			if p == nil {
				t.Fatalf("%s\n  does not check: %s", c.when, problem)
			}
			out, err := p.EvaluateRule(0, decodeEvent(t, c.event))
			got := ""
			switch {
			case err != nil:
				got = "error: " + err.Error()
			case out == types.True:
				got = "true"
			case out == types.False:
				got = "false"
			default:
				got = fmt.Sprintf("non-bool %v", out)
			}
			if want, isErr := strings.CutPrefix(c.want, "error: "); isErr {
				if !strings.HasPrefix(got, "error: ") || !strings.Contains(got, want) {
					t.Errorf("%s\n  event %s\n  got  %s\n  want an error containing %q", c.when, c.event, got, want)
				}
				return
			}
			if got != c.want {
				t.Errorf("%s\n  event %s\n  got  %s\n  want %s", c.when, c.event, got, c.want)
			}
		})
	}
}

// TestEvaluateCoversSupportedOverloads checks that the table exercises
// every overload a policy may use: the overload ids are read from the
// checked ASTs of the cases, counting only calls the checker resolved to
// exactly one overload.
func TestEvaluateCoversSupportedOverloads(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range evalCases {
		if strings.HasPrefix(c.want, "reject: ") {
			continue
		}
		p, _ := compileCase(t, c)
		if p == nil {
			continue // TestEvaluateTable reports it
		}
		for _, ref := range p.Rules[0].AST.NativeRep().ReferenceMap() {
			if len(ref.OverloadIDs) == 1 {
				covered[ref.OverloadIDs[0]] = true
			}
		}
	}
	for _, id := range SupportedOverloads() {
		if !covered[id] {
			t.Errorf("no evaluator case uses the supported overload %s", id)
		}
	}
}
