//! Evaluation contexts: bindings of bound variables and the state
//! (current or next) in which state variables are read.
//!
//! A quantified variable is bound to a value. An operator parameter is
//! bound to its argument *expression* with the context of the call (a
//! thunk), because TLA+ operator application is substitution: in
//! `Op(p) == p'`, `Op(x)` is `x'`, so the argument must be evaluated in the
//! state where the parameter is used. A thunk caches its value per state.

use super::EvalError;
use super::value::Value;
use crate::semantic::ir::{BVar, E};
use std::cell::RefCell;
use std::rc::Rc;

pub(super) type Res<T> = Result<T, EvalError>;

/// A persistent list of bindings (innermost first). Ids are unique in a
/// program, but a recursive function binds the same ids again at each
/// level: the innermost binding wins.
#[derive(Clone, Default)]
pub(super) struct Env(Option<Rc<Frame>>);

struct Frame {
    id: u32,
    binding: Binding,
    next: Env,
}

#[derive(Clone)]
pub(super) enum Binding {
    Val(Value),
    Thunk(Rc<Thunk>),
}

/// An argument expression with the context it was written in.
pub(super) struct Thunk {
    pub expr: E,
    pub cx: Ctx,
    /// The value in the current and in the next state.
    cache: RefCell<[Option<Res<Value>>; 2]>,
}

impl Thunk {
    pub fn cached(&self, primed: bool) -> Option<Res<Value>> {
        self.cache.borrow()[primed as usize].clone()
    }

    pub fn store(&self, primed: bool, r: &Res<Value>) {
        self.cache.borrow_mut()[primed as usize] = Some(r.clone());
    }
}

impl Env {
    pub fn lookup(&self, id: u32) -> Option<&Binding> {
        let mut cur = self;
        while let Some(f) = &cur.0 {
            if f.id == id {
                return Some(&f.binding);
            }
            cur = &f.next;
        }
        None
    }

    fn bind(&self, id: u32, binding: Binding) -> Env {
        Env(Some(Rc::new(Frame {
            id,
            binding,
            next: self.clone(),
        })))
    }
}

/// Where an expression is evaluated: its bindings, and whether state
/// variables are read in the next state (under a prime).
#[derive(Clone, Default)]
pub(super) struct Ctx {
    pub env: Env,
    pub primed: bool,
}

impl Ctx {
    pub fn with(&self, v: &BVar, val: Value) -> Ctx {
        Ctx {
            env: self.env.bind(v.id, Binding::Val(val)),
            primed: self.primed,
        }
    }

    /// Bind `v` to the expression `arg` written in context `from`.
    pub fn with_arg(&self, v: &BVar, arg: &E, from: &Ctx) -> Ctx {
        let thunk = Thunk {
            expr: arg.clone(),
            cx: from.clone(),
            cache: RefCell::new([None, None]),
        };
        Ctx {
            env: self.env.bind(v.id, Binding::Thunk(Rc::new(thunk))),
            primed: self.primed,
        }
    }

    pub fn next_state(&self) -> Ctx {
        Ctx {
            env: self.env.clone(),
            primed: true,
        }
    }
}
