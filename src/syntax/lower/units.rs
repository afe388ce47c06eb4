//! Modules and module-level units: declarations, definitions, INSTANCE,
//! ASSUME. (Theorems and USE/HIDE live in `proof`.)

use tree_sitter::Node;

use super::expr::op_symbol_name;
use super::{Lower, Lowerer, collect_all, field_children, named_children};
use crate::syntax::ast::{
    Assume, Decl, DefKind, Definition, Expr, Ident, Instance, Module, Param, Unit,
};

impl Lowerer<'_> {
    /// A `module` node (top-level or nested).
    pub(super) fn module(&mut self, n: Node<'_>) -> Lower<Module> {
        let name_node = self.field(n, "name")?;
        let name = self.ident(name_node);
        let mut extends = Vec::new();
        let mut unit_nodes = Vec::new();
        for child in named_children(n) {
            match child.kind() {
                "header_line" | "double_line" | "single_line" => {}
                "extends" => {
                    extends.extend(named_children(child).into_iter().map(|m| self.ident(m)))
                }
                _ if child.id() == name_node.id() => {}
                _ => unit_nodes.push(child),
            }
        }
        // Lower every unit even after a failure, to report all problems.
        let units = collect_all(unit_nodes.into_iter().map(|u| self.unit(u)))?;
        Ok(Module {
            name,
            extends,
            units,
            span: self.span(n),
            labels: std::mem::take(&mut self.labels),
        })
    }

    fn unit(&mut self, n: Node<'_>) -> Lower<Unit> {
        Ok(match n.kind() {
            "variable_declaration" => Unit::Variables(self.declarations(n)?),
            "constant_declaration" => Unit::Constants(self.declarations(n)?),
            "recursive_declaration" => Unit::Recursive(self.declarations(n)?),
            "use_or_hide" => Unit::UseHide(self.use_hide(n)?),
            "local_definition" => {
                let inner = self.nth_named(n, 0, "a definition after LOCAL")?;
                self.definition_unit(inner, true)?
            }
            "operator_definition" | "function_definition" | "module_definition" | "instance" => {
                self.definition_unit(n, false)?
            }
            "assumption" => Unit::Assume(self.assumption(n)?),
            "theorem" => Unit::Theorem(self.theorem(n)?),
            "module" => Unit::Submodule(Box::new(self.module(n)?)),
            other => return Err(self.unsupported(n, other)),
        })
    }

    /// A definition or unnamed INSTANCE as a unit.
    fn definition_unit(&mut self, n: Node<'_>, local: bool) -> Lower<Unit> {
        if n.kind() == "instance" {
            Ok(Unit::Instance(self.instance(n, local)?))
        } else {
            Ok(Unit::Definition(self.definition(n, local)?))
        }
    }

    /// The names of a CONSTANT(S), VARIABLE(S) or RECURSIVE declaration.
    fn declarations(&mut self, n: Node<'_>) -> Lower<Vec<Decl>> {
        let keyword = n.child(0).map_or((n.start_byte(), n.start_byte()), |k| {
            (k.start_byte(), k.end_byte())
        });
        let names = named_children(n);
        collect_all(names.into_iter().map(|d| self.declaration(d, keyword)))
    }

    fn declaration(&mut self, n: Node<'_>, keyword: (usize, usize)) -> Lower<Decl> {
        let (name, arity) = match n.kind() {
            "identifier" => (self.ident(n), 0),
            "operator_declaration" => self.operator_declaration(n)?,
            _ => return Err(self.malformed(n, "a declared name")),
        };
        Ok(Decl {
            name,
            arity,
            type_annotation: self.type_annotation(n.start_byte(), keyword),
            span: self.span(n),
        })
    }

    /// `Op(_, _)`, `-. _`, `_ + _` or `_ ^+`: the name and the arity (the
    /// number of `_` placeholders).
    pub(super) fn operator_declaration(&mut self, n: Node<'_>) -> Lower<(Ident, usize)> {
        let name = self.field(n, "name")?;
        let name = self.op_name(name)?;
        let arity = named_children(n)
            .iter()
            .filter(|c| c.kind() == "placeholder")
            .count();
        Ok((name, arity))
    }

    /// The name of a defined or declared operator: an identifier, a number
    /// set (`Nat == ...` in the standard modules) or an operator symbol,
    /// which is normalised to its canonical ASCII spelling.
    pub(super) fn op_name(&mut self, n: Node<'_>) -> Lower<Ident> {
        match n.kind() {
            "identifier" | "identifier_ref" | "nat_number_set" | "int_number_set"
            | "real_number_set" => Ok(self.ident(n)),
            _ => match op_symbol_name(n) {
                Some(name) => Ok(Ident {
                    name: name.to_string(),
                    span: self.span(n),
                }),
                None => Err(self.malformed(n, "an operator name")),
            },
        }
    }

    /// `Op(params) == e`, `f[x \in S] == e` or `I(params) == INSTANCE M`.
    pub(super) fn definition(&mut self, n: Node<'_>, local: bool) -> Lower<Definition> {
        let name_node = self.field(n, "name")?;
        let name = self.op_name(name_node)?;
        let kind = match n.kind() {
            "operator_definition" => {
                let params = self.params(n)?;
                let body = self.field(n, "definition")?;
                DefKind::Operator {
                    params,
                    body: self.expr(body)?,
                }
            }
            "function_definition" => {
                let bounds = named_children(n)
                    .into_iter()
                    .filter(|c| c.kind() == "quantifier_bound")
                    .map(|b| self.bound(b))
                    .collect::<Lower<Vec<_>>>()?;
                let body = self.field(n, "definition")?;
                DefKind::Function {
                    bounds,
                    body: self.expr(body)?,
                }
            }
            "module_definition" => {
                let params = self.params(n)?;
                let instance = self.field(n, "definition")?;
                DefKind::Instance {
                    params,
                    instance: self.instance(instance, local)?,
                }
            }
            other => return Err(self.unsupported(n, &format!("{other} as a definition"))),
        };
        Ok(Definition {
            name,
            local,
            kind,
            span: self.span(n),
        })
    }

    fn params(&mut self, n: Node<'_>) -> Lower<Vec<Param>> {
        field_children(n, "parameter")
            .into_iter()
            .map(|p| self.param(p))
            .collect()
    }

    fn param(&mut self, n: Node<'_>) -> Lower<Param> {
        match n.kind() {
            "identifier" => Ok(Param {
                name: self.ident(n),
                arity: 0,
            }),
            "operator_declaration" => {
                let (name, arity) = self.operator_declaration(n)?;
                Ok(Param { name, arity })
            }
            _ => Err(self.malformed(n, "a parameter")),
        }
    }

    /// `INSTANCE M WITH x <- e, ...`.
    pub(super) fn instance(&mut self, n: Node<'_>, local: bool) -> Lower<Instance> {
        let module = self.nth_named(n, 0, "a module name")?;
        let substitutions = named_children(n)
            .into_iter()
            .filter(|c| c.kind() == "substitution")
            .map(|s| self.substitution(s))
            .collect::<Lower<Vec<_>>>()?;
        Ok(Instance {
            module: self.ident(module),
            substitutions,
            local,
            span: self.span(n),
        })
    }

    /// `x <- e` (the target may also be an operator symbol, `+ <- Plus`).
    fn substitution(&mut self, n: Node<'_>) -> Lower<(Ident, Expr)> {
        let target = self.nth_named(n, 0, "a substituted name")?;
        let target = self.op_name(target)?;
        let value = self.last_named(n, "a substituted value")?;
        Ok((target, self.expr(value)?))
    }

    /// `ASSUME [name ==] e` (also ASSUMPTION, AXIOM).
    fn assumption(&mut self, n: Node<'_>) -> Lower<Assume> {
        let name = field_children(n, "name").first().map(|&id| self.ident(id));
        let body = self.last_named(n, "an assumed expression")?;
        Ok(Assume {
            name,
            body: self.expr(body)?,
            span: self.span(n),
        })
    }
}
