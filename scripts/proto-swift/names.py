"""Names: protobuf to Swift (our rules) and protobuf to protoc-c's C (protoc-c's rules, which the
generated Swift must match exactly to call the generated C)."""

from options import ACRONYMS

SWIFT_KEYWORDS = {
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import",
    "init", "inout", "internal", "let", "open", "operator", "private", "precedencegroup",
    "protocol", "public", "rethrows", "static", "struct", "subscript", "typealias", "var",
    "break", "case", "catch", "continue", "default", "defer", "do", "else", "fallthrough", "for",
    "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while", "Any", "as",
    "await", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "Type",
}

# protoc-c appends "_" to field names that are C or C++ keywords.
C_KEYWORDS = {
    "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch", "char",
    "class", "compl", "const", "const_cast", "continue", "default", "delete", "do", "double",
    "dynamic_cast", "else", "enum", "explicit", "extern", "false", "float", "for", "friend",
    "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "not", "not_eq",
    "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast",
    "return", "short", "signed", "sizeof", "static", "static_cast", "struct", "switch",
    "template", "this", "throw", "true", "try", "typedef", "typeid", "typename", "union",
    "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
}


def escape(name):
    """A Swift identifier, back-quoted when it is a keyword."""
    return f"`{name}`" if name in SWIFT_KEYWORDS else name


def lower_camel(name):
    """`alloc_id` -> `allocID`, `ClientMaxPort` -> `clientMaxPort`, `NOT_SERVING` -> `notServing`."""
    if "_" not in name and not name.isupper():
        return name[:1].lower() + name[1:]
    words = [w for w in name.split("_") if w]
    out = words[0].lower()
    for word in words[1:]:
        word = word.lower()
        out += ACRONYMS.get(word, word[:1].upper() + word[1:])
    return out


def upper_camel(name):
    """A oneof's Swift enum name: `block` -> `Block`, `value` -> `Value`."""
    camel = lower_camel(name)
    return camel[:1].upper() + camel[1:]


def c_camel_to_lower(name):
    """protoc-c's CamelToLower: `TaskConfig` -> `task_config`, `CPUUsage` -> `cpuusage`."""
    out = ""
    was_upper = True
    for ch in name:
        is_upper = ch.isupper()
        if is_upper:
            if not was_upper:
                out += "_"
            out += ch.lower()
        else:
            out += ch
        was_upper = is_upper
    return out


def c_struct_name(full_name):
    """`hashicorp.nomad.X.TaskConfig` -> `Hashicorp__Nomad__X__TaskConfig`."""
    return "__".join(part[:1].upper() + part[1:] for part in full_name.split("."))


def c_function_prefix(full_name):
    """`hashicorp.nomad.X.TaskConfig` -> `hashicorp__nomad__x__task_config`."""
    return "__".join(c_camel_to_lower(part) for part in full_name.split("."))


def c_field_name(name):
    lowered = name.lower()
    return lowered + "_" if lowered in C_KEYWORDS else lowered
