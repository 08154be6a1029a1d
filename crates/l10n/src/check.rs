//! What `make test` checks of every language folder: each file parses, and every language has
//! exactly English's messages (and attributes), each with the same variables, so that a
//! caller's arguments mean the same in every language.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

/// A language's messages and terms (`id`, `id.attribute`, `-term`), each with the variables
/// it uses.
pub type Shape = BTreeMap<String, BTreeSet<String>>;

/// The shape of a language's files (name, text), or what is wrong with them.
pub fn shape(files: &[(&str, &str)]) -> Result<Shape, Vec<String>> {
    let mut shape = Shape::new();
    let mut problems = Vec::new();
    for (file, text) in files {
        let resource = match fluent_syntax::parser::parse(*text) {
            Ok(resource) => resource,
            Err((resource, errors)) => {
                problems.extend(errors.iter().map(|e| format!("{file}: {e:?}")));
                resource
            }
        };
        for entry in resource.body {
            let (id, value, attributes) = match entry {
                Entry::Message(m) => (m.id.name.to_owned(), m.value, m.attributes),
                Entry::Term(t) => (format!("-{}", t.id.name), Some(t.value), t.attributes),
                Entry::Junk { content } => {
                    problems.push(format!("{file}: cannot be read: {}", content.trim()));
                    continue;
                }
                _ => continue,
            };
            let mut add = |key: String, pattern: Option<&Pattern<&str>>| {
                let mut variables = BTreeSet::new();
                if let Some(p) = pattern {
                    pattern_variables(p, &mut variables);
                }
                if shape.insert(key.clone(), variables).is_some() {
                    problems.push(format!("{file}: {key} is defined twice"));
                }
            };
            add(id.clone(), value.as_ref());
            for attribute in &attributes {
                add(format!("{id}.{}", attribute.id.name), Some(&attribute.value));
            }
        }
    }
    if problems.is_empty() {
        Ok(shape)
    } else {
        Err(problems)
    }
}

/// How `other` differs from the `reference` language: each message missing, extra, or with
/// other variables.
pub fn differences(reference: &Shape, other: &Shape) -> Vec<String> {
    let mut found = Vec::new();
    for (id, variables) in reference {
        match other.get(id) {
            None => found.push(format!("{id} is missing")),
            Some(v) if v != variables => found.push(format!("{id} uses {v:?}, English {variables:?}")),
            Some(_) => {}
        }
    }
    found.extend(other.keys().filter(|id| !reference.contains_key(*id)).map(|id| format!("{id} is not in English")));
    found
}

fn pattern_variables(pattern: &Pattern<&str>, into: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_variables(expression, into);
        }
    }
}

fn expression_variables(expression: &Expression<&str>, into: &mut BTreeSet<String>) {
    match expression {
        Expression::Select { selector, variants } => {
            inline_variables(selector, into);
            for variant in variants {
                pattern_variables(&variant.value, into);
            }
        }
        Expression::Inline(inline) => inline_variables(inline, into),
    }
}

fn inline_variables(inline: &InlineExpression<&str>, into: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            into.insert(id.name.to_owned());
        }
        InlineExpression::FunctionReference { arguments, .. } => {
            arguments.positional.iter().for_each(|a| inline_variables(a, into));
            arguments.named.iter().for_each(|a| inline_variables(&a.value, into));
        }
        InlineExpression::TermReference { arguments: Some(arguments), .. } => {
            arguments.positional.iter().for_each(|a| inline_variables(a, into));
            arguments.named.iter().for_each(|a| inline_variables(&a.value, into));
        }
        InlineExpression::Placeable { expression } => expression_variables(expression, into),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_name_messages_attributes_terms_and_their_variables() {
        let s = shape(&[(
            "a.ftl",
            "-brand = Gatehouse\nhi = Hi { $name }, { -brand }\n    .title = { $count -> \n [one] one\n *[other] { NUMBER($count) } of { $total }\n}\n",
        )])
        .unwrap();
        assert_eq!(s["hi"], BTreeSet::from(["name".to_owned()]));
        assert_eq!(s["hi.title"], BTreeSet::from(["count".to_owned(), "total".to_owned()]));
        assert!(s["-brand"].is_empty());
    }

    #[test]
    fn differences_name_what_is_missing_extra_or_other() {
        let en = shape(&[("a.ftl", "a = { $x }\nb = B\n")]).unwrap();
        let de = shape(&[("a.ftl", "a = { $y }\nc = C\n")]).unwrap();
        let found = differences(&en, &de);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(shape(&[("a.ftl", "a = A\na = B\n")]).is_err(), "defined twice");
        assert!(shape(&[("a.ftl", "a = {\n")]).is_err(), "junk");
    }
}
