package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
	"github.com/zclconf/go-cty/cty/msgpack"
)

// Nomad never hands HCL syntax to hcldec directly: the agent config and the job spec are
// first parsed into Go maps (config blocks become lists of maps), sent around as JSON, and
// the client parses that JSON with HCL's JSON syntax before decoding it with the plugin's
// spec (helper/pluginutils/hclutils.ParseHclInterface). The harness takes the same path so
// type conversions, unknown-key errors and ${...} interpolation behave as in Nomad.

// fixtureExpect holds the "# expect:" header of a fixture file.
type fixtureExpect struct {
	outcome string   // ok | hcl-error | invalid-argument | start-error
	texts   []string // substrings the error must contain (case-insensitive)
	code    string   // gRPC code name for start-error, optional
}

func readExpect(src []byte) fixtureExpect {
	exp := fixtureExpect{outcome: "ok"}
	sc := bufio.NewScanner(bytes.NewReader(src))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimSpace(strings.TrimPrefix(line, "#"))
		switch {
		case strings.HasPrefix(line, "expect:"):
			exp.outcome = strings.TrimSpace(strings.TrimPrefix(line, "expect:"))
		case strings.HasPrefix(line, "expect-text:"):
			exp.texts = append(exp.texts, strings.TrimSpace(strings.TrimPrefix(line, "expect-text:")))
		case strings.HasPrefix(line, "expect-code:"):
			exp.code = strings.TrimSpace(strings.TrimPrefix(line, "expect-code:"))
		}
	}
	return exp
}

// containsAll reports whether msg contains every text, ignoring case; it returns the first missing one.
func containsAll(msg string, texts []string) (bool, string) {
	low := strings.ToLower(msg)
	for _, t := range texts {
		if !strings.Contains(low, strings.ToLower(t)) {
			return false, t
		}
	}
	return true, ""
}

// parseNativeFile parses an HCL native-syntax file.
func parseNativeFile(path string) (*hclsyntax.Body, []byte, hcl.Diagnostics) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, specDiag("Cannot read file", err.Error())
	}
	file, diags := hclsyntax.ParseConfig(src, path, hcl.Pos{Line: 1, Column: 1, Byte: 0})
	if diags.HasErrors() {
		return nil, src, diags
	}
	return file.Body.(*hclsyntax.Body), src, diags
}

// findBlock returns the first block of the given type (and first label, if given).
func findBlock(body *hclsyntax.Body, typ string, label string) *hclsyntax.Block {
	for _, b := range body.Blocks {
		if b.Type != typ {
			continue
		}
		if label != "" && (len(b.Labels) == 0 || b.Labels[0] != label) {
			continue
		}
		return b
	}
	return nil
}

// bodyToGo turns a body into the generic map Nomad's parsers produce: attributes become
// values, blocks become lists of maps (nested by label). Expressions that reference
// variables stay as "${...}" template strings for the client-side decode to interpolate.
func bodyToGo(body *hclsyntax.Body, src []byte) (map[string]interface{}, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	out := map[string]interface{}{}
	for name, attr := range body.Attributes {
		v, d := exprToGo(attr.Expr, src)
		diags = append(diags, d...)
		out[name] = v
	}
	for _, b := range body.Blocks {
		inner, d := bodyToGo(b.Body, src)
		diags = append(diags, d...)
		var v interface{} = inner
		for i := len(b.Labels) - 1; i >= 0; i-- {
			v = map[string]interface{}{b.Labels[i]: []interface{}{v}}
		}
		list, _ := out[b.Type].([]interface{})
		out[b.Type] = append(list, v)
	}
	return out, diags
}

func exprToGo(expr hclsyntax.Expression, src []byte) (interface{}, hcl.Diagnostics) {
	switch e := expr.(type) {
	case *hclsyntax.TupleConsExpr:
		var diags hcl.Diagnostics
		list := []interface{}{}
		for _, item := range e.Exprs {
			v, d := exprToGo(item, src)
			diags = append(diags, d...)
			list = append(list, v)
		}
		return list, diags
	case *hclsyntax.ObjectConsExpr:
		var diags hcl.Diagnostics
		m := map[string]interface{}{}
		for _, item := range e.Items {
			k, d := item.KeyExpr.Value(&hcl.EvalContext{Functions: nomadFunctions()})
			diags = append(diags, d...)
			if d.HasErrors() || k.Type() != cty.String || k.IsNull() {
				// Bare identifiers as keys evaluate through ObjectConsKeyExpr; anything else is an error.
				continue
			}
			v, d2 := exprToGo(item.ValueExpr, src)
			diags = append(diags, d2...)
			m[k.AsString()] = v
		}
		return m, diags
	}
	if len(expr.Variables()) > 0 {
		rng := expr.Range()
		text := string(src[rng.Start.Byte:rng.End.Byte])
		if strings.HasPrefix(text, "\"") && strings.HasSuffix(text, "\"") && len(text) >= 2 {
			return text[1 : len(text)-1], nil
		}
		return "${" + text + "}", nil
	}
	val, diags := expr.Value(&hcl.EvalContext{Functions: nomadFunctions()})
	if diags.HasErrors() {
		return nil, diags
	}
	return ctyToGo(val)
}

func ctyToGo(val cty.Value) (interface{}, hcl.Diagnostics) {
	raw, err := ctyjson.Marshal(val, val.Type())
	if err != nil {
		return nil, specDiag("Cannot convert value", err.Error())
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var out interface{}
	if err := dec.Decode(&out); err != nil {
		return nil, specDiag("Cannot convert value", err.Error())
	}
	return out, nil
}

// encodeWithSpecType makes the encoder use the spec's implied type instead of the value's own
// type. Nomad passes the value's type (plugins/drivers EncodeDriverConfig, loader
// validatePluginConfig); the spec type additionally exercises cty's dynamic wrapper for
// `any` attributes.
var encodeWithSpecType bool

// decodeLikeNomad JSON-encodes the generic config, parses it with HCL's JSON syntax and
// decodes it with spec, variables and Nomad's functions, then msgpack-encodes the value
// against its own type, as Nomad's EncodeDriverConfig and plugin loader do.
func decodeLikeNomad(config map[string]interface{}, spec hcldec.Spec, vars map[string]cty.Value) (cty.Value, []byte, hcl.Diagnostics) {
	if config == nil {
		config = map[string]interface{}{}
	}
	js, err := json.Marshal(config)
	if err != nil {
		return cty.NilVal, nil, specDiag("Failed to encode label value", err.Error())
	}
	file, diags := hcljson.Parse(js, "")
	if diags.HasErrors() {
		return cty.NilVal, nil, diags
	}
	val, decDiags := hcldec.Decode(file.Body, spec, &hcl.EvalContext{Variables: vars, Functions: nomadFunctions()})
	diags = append(diags, decDiags...)
	if diags.HasErrors() {
		return cty.NilVal, nil, diags
	}
	ty := val.Type()
	if encodeWithSpecType {
		ty = hcldec.ImpliedType(spec)
	}
	packed, err := msgpack.Marshal(val, ty)
	if err != nil {
		return cty.NilVal, nil, specDiag("msgpack encoding failed", err.Error())
	}
	return val, packed, diags
}

// diagText renders diagnostics the way Nomad reports them: "Summary: Detail", one per line.
func diagText(diags hcl.Diagnostics) string {
	var parts []string
	for _, d := range diags {
		summary := d.Summary
		if summary == "Extraneous JSON object property" {
			summary = "Invalid label"
		}
		parts = append(parts, fmt.Sprintf("%s: %s", summary, d.Detail))
	}
	return strings.Join(parts, "; ")
}

// validateHCLFiles parses each file with the HCL native parser (syntax only), as CI does for
// examples/, and returns the number of files with errors.
func validateHCLFiles(paths []string) int {
	bad := 0
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			fmt.Printf("FAIL [validate-hcl] %s: %v\n", p, err)
			bad++
			continue
		}
		var diags hcl.Diagnostics
		var native *hcl.File
		if strings.HasSuffix(p, ".json") {
			_, diags = hcljson.Parse(src, p)
		} else {
			native, diags = hclsyntax.ParseConfig(src, p, hcl.Pos{Line: 1, Column: 1})
		}
		if diags.HasErrors() {
			bad++
			for _, d := range diags {
				if d.Severity != hcl.DiagError {
					continue
				}
				where := p
				if d.Subject != nil {
					where = d.Subject.String()
				}
				fmt.Printf("FAIL [validate-hcl] %s: %s: %s\n", where, d.Summary, d.Detail)
			}
			continue
		}
		if native != nil {
			target := targetVersion(p)
			if problems := versionProblems(native.Body.(*hclsyntax.Body), target); len(problems) > 0 {
				bad++
				for _, problem := range problems {
					fmt.Printf("FAIL [validate-hcl] %s\n", problem)
				}
				continue
			}
			fmt.Printf("PASS [validate-hcl] %s parses, and Nomad %s accepts its keys\n", p, target)
			continue
		}
		fmt.Printf("PASS [validate-hcl] %s parses\n", p)
	}
	return bad
}
