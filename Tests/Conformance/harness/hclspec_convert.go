package main

import (
	"fmt"
	"reflect"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	hclspec "swiftdriver/proto/hclspec"
)

// This file turns the plugin's hclspec.Spec into an hcldec.Spec with the rules Nomad's
// client applies (helper/pluginutils/hclspecutils): object keys name their children when a
// child leaves its name empty, attribute types are HCL type expressions, literals are HCL
// expressions evaluated with Nomad's small function list.

// nomadFunctions is the function table Nomad offers when it evaluates spec literals and
// decodes configs.
func nomadFunctions() map[string]function.Function {
	return map[string]function.Function{
		"abs":        stdlib.AbsoluteFunc,
		"coalesce":   stdlib.CoalesceFunc,
		"concat":     stdlib.ConcatFunc,
		"hasindex":   stdlib.HasIndexFunc,
		"int":        stdlib.IntFunc,
		"jsondecode": stdlib.JSONDecodeFunc,
		"jsonencode": stdlib.JSONEncodeFunc,
		"length":     stdlib.LengthFunc,
		"lower":      stdlib.LowerFunc,
		"max":        stdlib.MaxFunc,
		"min":        stdlib.MinFunc,
		"reverse":    stdlib.ReverseFunc,
		"strlen":     stdlib.StrlenFunc,
		"substr":     stdlib.SubstrFunc,
		"upper":      stdlib.UpperFunc,
	}
}

var specPos = hcl.Pos{Line: 0, Column: 0, Byte: 0}

func specDiag(summary, detail string) hcl.Diagnostics {
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: detail}}
}

// convertSpec converts a whole spec; a nil spec is an error, as in Nomad.
func convertSpec(spec *hclspec.Spec) (hcldec.Spec, hcl.Diagnostics) {
	if spec == nil {
		return nil, specDiag("nil spec given", "The plugin returned no spec.")
	}
	return convertNode(spec, "")
}

func convertNode(spec *hclspec.Spec, impliedName string) (hcldec.Spec, hcl.Diagnostics) {
	switch b := spec.Block.(type) {
	case *hclspec.Spec_Object:
		return convertObject(b.Object)
	case *hclspec.Spec_Array:
		return convertArray(b.Array)
	case *hclspec.Spec_Attr:
		return convertAttr(b.Attr, impliedName)
	case *hclspec.Spec_BlockValue:
		return convertBlock(b.BlockValue, impliedName)
	case *hclspec.Spec_BlockAttrs:
		return convertBlockAttrs(b.BlockAttrs, impliedName)
	case *hclspec.Spec_BlockList:
		return convertBlockList(b.BlockList, impliedName)
	case *hclspec.Spec_BlockSet:
		return convertBlockSet(b.BlockSet, impliedName)
	case *hclspec.Spec_BlockMap:
		return convertBlockMap(b.BlockMap, impliedName)
	case *hclspec.Spec_Default:
		return convertDefault(b.Default)
	case *hclspec.Spec_Literal:
		return convertLiteral(b.Literal)
	default:
		return nil, specDiag("Invalid spec block", fmt.Sprintf("A spec node of kind %T (none set?) cannot be converted.", spec.Block))
	}
}

func convertObject(obj *hclspec.Object) (hcldec.Spec, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	out := hcldec.ObjectSpec{}
	for name, child := range obj.GetAttributes() {
		if child == nil {
			diags = append(diags, specDiag("Missing spec", "Object attribute "+name+" has no spec.")...)
			continue
		}
		s, d := convertNode(child, name)
		diags = append(diags, d...)
		out[name] = s
	}
	return out, diags
}

func convertArray(arr *hclspec.Array) (hcldec.Spec, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	out := hcldec.TupleSpec{}
	for _, child := range arr.GetValues() {
		if child == nil {
			diags = append(diags, specDiag("Missing spec", "An array element has no spec.")...)
			continue
		}
		s, d := convertNode(child, "")
		diags = append(diags, d...)
		out = append(out, s)
	}
	return out, diags
}

func pickName(explicit, implied string) string {
	if explicit != "" {
		return explicit
	}
	return implied
}

func convertAttr(a *hclspec.Attr, impliedName string) (hcldec.Spec, hcl.Diagnostics) {
	ty, diags := parseTypeString(a.GetType())
	if diags.HasErrors() {
		return nil, diags
	}
	name := pickName(a.GetName(), impliedName)
	if name == "" {
		return nil, append(diags, specDiag("Missing name in attribute spec", "An attr spec needs a name (none was given or implied).")...)
	}
	return &hcldec.AttrSpec{Name: name, Type: ty, Required: a.GetRequired()}, diags
}

func convertBlock(b *hclspec.Block, impliedName string) (hcldec.Spec, hcl.Diagnostics) {
	nested, diags := convertNested(b.GetNested())
	return &hcldec.BlockSpec{TypeName: pickName(b.GetName(), impliedName), Required: b.GetRequired(), Nested: nested}, diags
}

func convertBlockAttrs(b *hclspec.BlockAttrs, impliedName string) (hcldec.Spec, hcl.Diagnostics) {
	ty, diags := parseTypeString(b.GetType())
	if diags.HasErrors() {
		return nil, diags
	}
	name := pickName(b.GetName(), impliedName)
	if name == "" {
		return nil, append(diags, specDiag("Missing name in block_attrs spec", "A block_attrs spec needs a name.")...)
	}
	return &hcldec.BlockAttrsSpec{TypeName: name, ElementType: ty, Required: b.GetRequired()}, diags
}

func convertBlockList(b *hclspec.BlockList, impliedName string) (hcldec.Spec, hcl.Diagnostics) {
	nested, diags := convertNested(b.GetNested())
	name := pickName(b.GetName(), impliedName)
	if name == "" {
		return nil, append(diags, specDiag("Missing name in block_list spec", "A block_list spec needs a name.")...)
	}
	return &hcldec.BlockListSpec{TypeName: name, MinItems: int(b.GetMinItems()), MaxItems: int(b.GetMaxItems()), Nested: nested}, diags
}

func convertBlockSet(b *hclspec.BlockSet, impliedName string) (hcldec.Spec, hcl.Diagnostics) {
	nested, diags := convertNested(b.GetNested())
	name := pickName(b.GetName(), impliedName)
	if name == "" {
		return nil, append(diags, specDiag("Missing name in block_set spec", "A block_set spec needs a name.")...)
	}
	return &hcldec.BlockSetSpec{TypeName: name, MinItems: int(b.GetMinItems()), MaxItems: int(b.GetMaxItems()), Nested: nested}, diags
}

func convertBlockMap(b *hclspec.BlockMap, impliedName string) (hcldec.Spec, hcl.Diagnostics) {
	nested, diags := convertNested(b.GetNested())
	name := pickName(b.GetName(), impliedName)
	if name == "" {
		return nil, append(diags, specDiag("Missing name in block_map spec", "A block_map spec needs a name.")...)
	}
	if len(b.GetLabels()) == 0 {
		return nil, append(diags, specDiag("Invalid block label name list", "A block_map needs at least one label.")...)
	}
	return &hcldec.BlockMapSpec{TypeName: name, LabelNames: b.GetLabels(), Nested: nested}, diags
}

func convertNested(s *hclspec.Spec) (hcldec.Spec, hcl.Diagnostics) {
	if s == nil {
		return nil, specDiag("Missing spec block", "A block spec needs exactly one nested spec.")
	}
	return convertNode(s, "")
}

func convertLiteral(l *hclspec.Literal) (hcldec.Spec, hcl.Diagnostics) {
	expr, diags := hclsyntax.ParseExpression([]byte(l.GetValue()), "proto", specPos)
	if diags.HasErrors() {
		return nil, diags
	}
	val, valDiags := expr.Value(&hcl.EvalContext{Functions: nomadFunctions()})
	diags = append(diags, valDiags...)
	if diags.HasErrors() {
		return nil, diags
	}
	return &hcldec.LiteralSpec{Value: val}, diags
}

func convertDefault(d *hclspec.Default) (hcldec.Spec, hcl.Diagnostics) {
	if d.GetPrimary() == nil || d.GetDefault() == nil {
		return nil, specDiag("Invalid default spec", "A default spec needs both primary and default.")
	}
	primary, diags := convertNode(d.GetPrimary(), "")
	if diags.HasErrors() {
		return nil, diags
	}
	def, defDiags := convertNode(d.GetDefault(), "")
	diags = append(diags, defDiags...)
	if diags.HasErrors() {
		return nil, diags
	}
	return &hcldec.DefaultSpec{Primary: primary, Default: def}, diags
}

// Type expressions are evaluated as HCL expressions in which the primitive type names are
// variables and the collection constructors are functions, each yielding a capsule that
// wraps a cty.Type — the approach Nomad takes, so the same strings succeed and fail.
var typeCapsule = cty.Capsule("type", reflect.TypeOf(cty.NilType))

func wrapType(t cty.Type) cty.Value { return cty.CapsuleVal(typeCapsule, &t) }

func unwrapType(v cty.Value) cty.Type { return *(v.EncapsulatedValue().(*cty.Type)) }

func typeConstructor(param cty.Type, build func(cty.Value) cty.Type) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "element", Type: param}},
		Type:   function.StaticReturnType(typeCapsule),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return wrapType(build(args[0])), nil
		},
	})
}

var typeContext = &hcl.EvalContext{
	Variables: map[string]cty.Value{
		"string": wrapType(cty.String),
		"number": wrapType(cty.Number),
		"bool":   wrapType(cty.Bool),
		"any":    wrapType(cty.DynamicPseudoType),
	},
	Functions: map[string]function.Function{
		"list": typeConstructor(typeCapsule, func(v cty.Value) cty.Type { return cty.List(unwrapType(v)) }),
		"set":  typeConstructor(typeCapsule, func(v cty.Value) cty.Type { return cty.Set(unwrapType(v)) }),
		"map":  typeConstructor(typeCapsule, func(v cty.Value) cty.Type { return cty.Map(unwrapType(v)) }),
		"tuple": typeConstructor(cty.List(typeCapsule), func(v cty.Value) cty.Type {
			var elems []cty.Type
			for it := v.ElementIterator(); it.Next(); {
				_, e := it.Element()
				elems = append(elems, unwrapType(e))
			}
			return cty.Tuple(elems)
		}),
		"object": typeConstructor(cty.Map(typeCapsule), func(v cty.Value) cty.Type {
			attrs := map[string]cty.Type{}
			for it := v.ElementIterator(); it.Next(); {
				k, e := it.Element()
				attrs[k.AsString()] = unwrapType(e)
			}
			return cty.Object(attrs)
		}),
	},
}

// parseTypeString parses an hclspec type string such as "list(string)".
func parseTypeString(s string) (cty.Type, hcl.Diagnostics) {
	expr, diags := hclsyntax.ParseExpression([]byte(s), "proto", specPos)
	if diags.HasErrors() {
		return cty.DynamicPseudoType, diags
	}
	v, valDiags := expr.Value(typeContext)
	diags = append(diags, valDiags...)
	if diags.HasErrors() {
		return cty.DynamicPseudoType, diags
	}
	if v.IsNull() {
		return cty.DynamicPseudoType, diags
	}
	if !v.Type().Equals(typeCapsule) {
		return cty.DynamicPseudoType, append(diags, specDiag("Invalid type expression", fmt.Sprintf("A type is required, not %s.", v.Type().FriendlyName()))...)
	}
	return unwrapType(v), diags
}
