//! Names, operator applications and subexpression paths (`M!Op(a)!2!(x)`),
//! and proof step references.

use tree_sitter::Node;

use super::{Lower, Lowerer, field_children, named_children};
use crate::syntax::ast::{NamePath, PathSegment, StepLabel};

impl Lowerer<'_> {
    /// A name, operator application or subexpression reference as a path:
    /// `identifier_ref`, `bound_op`, `prefixed_op` or `subexpression`.
    pub(super) fn name_path(&mut self, n: Node<'_>) -> Lower<NamePath> {
        let segments = match n.kind() {
            "identifier_ref" | "nat_number_set" | "int_number_set" | "real_number_set" => {
                vec![self.plain_segment(n)]
            }
            "bound_op" => vec![self.bound_op_segment(n)?],
            "prefixed_op" => {
                let prefix = self.field(n, "prefix")?;
                let mut segments = self.prefix_segments(prefix)?;
                let op = self.field(n, "op")?;
                segments.push(self.component(op)?);
                segments
            }
            "subexpression" => {
                let mut segments = Vec::new();
                for part in named_children(n) {
                    match part.kind() {
                        "subexpr_prefix" => segments.extend(self.prefix_segments(part)?),
                        _ => segments.push(self.tree_nav(part)?),
                    }
                }
                segments
            }
            _ => return Err(self.malformed(n, "a name")),
        };
        Ok(NamePath {
            segments,
            span: self.span(n),
        })
    }

    /// An operator symbol used as a name (`F(+)`, `DEF +`).
    pub(super) fn symbol_path(&mut self, n: Node<'_>) -> Lower<NamePath> {
        let name = self.op_name(n)?;
        Ok(NamePath {
            segments: vec![PathSegment::Name {
                name,
                args: Vec::new(),
            }],
            span: self.span(n),
        })
    }

    fn plain_segment(&self, n: Node<'_>) -> PathSegment {
        PathSegment::Name {
            name: self.ident(n),
            args: Vec::new(),
        }
    }

    /// `Op(a, b)`.
    fn bound_op_segment(&mut self, n: Node<'_>) -> Lower<PathSegment> {
        let name = self.field(n, "name")?;
        let args = self.exprs(field_children(n, "parameter"))?;
        Ok(PathSegment::Name {
            name: self.ident(name),
            args,
        })
    }

    /// The `A!B(x)!2!` part of a subexpression name.
    fn prefix_segments(&mut self, n: Node<'_>) -> Lower<Vec<PathSegment>> {
        named_children(n)
            .into_iter()
            .map(|part| match part.kind() {
                "subexpr_component" => {
                    let inner = self.nth_named(part, 0, "a name")?;
                    self.component(inner)
                }
                "proof_step_ref" => Ok(PathSegment::Step(self.step_ref(part)?)),
                "subexpr_tree_nav" => self.tree_nav(part),
                _ => Err(self.malformed(part, "a subexpression component")),
            })
            .collect()
    }

    /// One named component of a path: `Op`, `Op(a)`, `+(a, b)`, `+`, `Nat`.
    fn component(&mut self, n: Node<'_>) -> Lower<PathSegment> {
        match n.kind() {
            "identifier_ref" | "nat_number_set" | "int_number_set" | "real_number_set" => {
                Ok(self.plain_segment(n))
            }
            "bound_op" => self.bound_op_segment(n),
            "bound_nonfix_op" => {
                let wrapper = self.field(n, "symbol")?;
                let name = self.op_name(wrapper)?;
                let args = named_children(n)
                    .into_iter()
                    .filter(|c| c.id() != wrapper.id())
                    .collect();
                Ok(PathSegment::Name {
                    name,
                    args: self.exprs(args)?,
                })
            }
            "prefix_op_symbol" | "infix_op_symbol" | "postfix_op_symbol" => Ok(PathSegment::Name {
                name: self.op_name(n)?,
                args: Vec::new(),
            }),
            _ => Err(self.malformed(n, "a name")),
        }
    }

    /// `!1`, `!<<`, `!>>`, `!:`, `!@`, `!(x, y)`.
    fn tree_nav(&mut self, n: Node<'_>) -> Lower<PathSegment> {
        let inner = self.nth_named(n, 0, "a subexpression selector")?;
        Ok(match inner.kind() {
            "child_id" => match self.text(inner).parse::<u32>() {
                Ok(i) => PathSegment::Index(i),
                Err(_) => return Err(self.error(inner, "subexpression index out of range")),
            },
            "langle_bracket" => PathSegment::Left,
            "rangle_bracket" => PathSegment::Right,
            "colon" => PathSegment::Colon,
            "address" => PathSegment::At,
            "operator_args" => PathSegment::Args(self.exprs(named_children(inner))?),
            _ => return Err(self.malformed(inner, "a subexpression selector")),
        })
    }

    /// `<2>3` used as a fact or path head. `<*>` means the current level.
    pub(super) fn step_ref(&mut self, n: Node<'_>) -> Lower<StepLabel> {
        let parts = named_children(n);
        let level = parts.iter().find(|c| c.kind() == "level");
        let name = parts.iter().find(|c| c.kind() == "name");
        let (Some(&level), Some(&name)) = (level, name) else {
            return Err(self.malformed(n, "a step level and name"));
        };
        let level = match self.text(level) {
            "*" if self.step_level > 0 => self.step_level,
            "*" => return Err(self.error(n, "`<*>` used outside a proof")),
            digits => match digits.parse::<u32>() {
                Ok(l) => l,
                Err(_) => return Err(self.error(level, "step level out of range")),
            },
        };
        Ok(StepLabel {
            level,
            name: Some(self.text(name).to_string()),
            span: self.span(n),
        })
    }
}
