//! The command line's `watch-…` commands, one per waiter of the spec
//! (`x-waiters`), in the group of the operation the waiter reads, with
//! that operation's flags: `WATCHES`, the commands as data, and `watch`,
//! which sets each waiter's parameters and waits.

use anyhow::{Context, Result};
use quote::quote;

use super::Group;
use super::emit::{set_parameter, waits};
use crate::waiters::OperationWaiters;

/// Adds the watch commands of `waiters` to the command line's generated
/// `file`.
pub fn append(file: &mut syn::File, waiters: &[OperationWaiters], groups: &[Group]) -> Result<()> {
    let mut table = Vec::new();
    let mut arms = Vec::new();
    for operation in waiters {
        let (group, command) = groups
            .iter()
            .find_map(|g| {
                g.operations
                    .iter()
                    .find(|c| c.operation_id == operation.operation_id)
                    .map(|c| (g, c))
            })
            .with_context(|| format!("no command reads {}", operation.operation_id))?;
        for waiter in &operation.waiters {
            let group_name = &group.command;
            let name = waiter.command();
            let id = &operation.operation_id;
            let about = one_line(&waiter.description);
            let (min, max) = (waiter.min_delay, waiter.max_delay);
            let bound = format!("{}s", waiter.max_wait);
            let gone = waiter.is_gone();
            table.push(quote! {
                Watch {
                    group: #group_name,
                    command: #name,
                    operation: #id,
                    about: #about,
                    default_timeout: #bound,
                    min_delay: #min,
                    max_delay: #max,
                    gone: #gone,
                }
            });
            let parameters = command.parameters.iter().map(set_parameter).collect();
            let waits = waits(&waiter.method(), parameters);
            arms.push(quote! {
                #name => {
                    #waits
                }
            });
        }
    }
    let unused = arms.is_empty().then(|| quote!(#[allow(unused_variables)]));
    let items: syn::File = syn::parse2(quote! {
        use super::model::Watch;
        use super::watch::Timing;

        /// Every waiter, as a `watch-…` command in the group of the
        /// operation it reads.
        pub(super) const WATCHES: &[Watch] = &[#(#table),*];

        /// Waits with the waiter of the watch command `command`, with the
        /// flags in `args`, and writes the answer that ended the wait.
        #unused
        pub(super) async fn watch(
            client: &Client,
            command: &str,
            args: &Args<'_>,
            timing: &Timing,
            output: &mut Output,
        ) -> ::std::result::Result<(), Failure> {
            match command {
                #(#arms)*
                other => Err(Failure::Usage(format!("unknown command {other}"))),
            }
        }
    })?;
    file.items.extend(items.items);
    Ok(())
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
