package hostile

import "reflect"

// Names are tenant- or attacker-chosen names (applications, rules,
// countries, file names) that try to ping users and teams on GitHub,
// reference issues, spell `@` with an entity, break Markdown tables and
// open links, images or HTML.
var Names = []string{
	"@octocat",
	"@github/security-team",
	"Portal | @admin | x",
	"fixes #1 &#64;ghost",
	"back\\| @y <img src=x onerror=alert(1)>",
	"![t](https://tracker.example/p.png) [x](https://evil.example) @w",
	"**@bold** `@code` @z",
	"line\n@newline",
}

// FillStrings sets every field of type string reachable from v (a
// pointer), through structs, pointers, slices and maps' values, to the
// Names in turn, so a renderer's test covers every field it prints,
// including fields added later. Named string types (enums) are left
// alone.
func FillStrings(v any) {
	n := 0
	fill(reflect.ValueOf(v), &n)
}

var stringType = reflect.TypeOf("")

func fill(v reflect.Value, n *int) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			fill(v.Elem(), n)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			fill(v.Index(i), n)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			fill(e, n)
			v.SetMapIndex(k, e)
		}
	case reflect.String:
		if v.Type() == stringType && v.CanSet() {
			v.SetString(Names[*n%len(Names)])
			*n++
		}
	}
}
