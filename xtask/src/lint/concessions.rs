//! The shapes regen takes less typed than the spec says
//! ([`crate::facts::Concession`]), found by the adaptation itself so that
//! lint and regen never disagree on them.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use super::{LintFinding, rules};
use crate::adapt;
use crate::facts::Concession;
use crate::raw;

/// A finding for each concession the adaptation makes on the spec `text`
/// read from `path`, whose document as written is `document`. A spec the
/// generator cannot read is left to the other rules and to regen.
pub fn check(text: &str, path: &Path, document: &Value, out: &mut Vec<LintFinding>) {
    let Ok(openapi) = crate::spec::typed(text, path) else {
        return;
    };
    let Ok((adapted, _)) = adapt::for_progenitor_without_refused(openapi) else {
        return;
    };
    let places: HashMap<String, (String, String)> = raw::operations(document)
        .map(|found| {
            (
                found.operation_id().to_string(),
                (found.pointer(), found.label()),
            )
        })
        .collect();
    for operation in &adapted.operations {
        let Some((pointer, place)) = places.get(&operation.operation_id) else {
            continue;
        };
        for concession in &operation.concessions {
            let (rule, pointer) = match concession {
                Concession::PagesWithoutResults => (rules::PAGING_WITHOUT_RESULTS, pointer.clone()),
                Concession::UntypedErrorBodies { .. } => {
                    (rules::UNTYPED_ERROR_BODY, format!("{pointer}/responses"))
                }
                Concession::NewestVersion { .. } => {
                    (rules::SEVERAL_RESOURCE_VERSIONS, pointer.clone())
                }
            };
            out.push(LintFinding::new(
                rule,
                &pointer,
                format!("{place}: {concession}"),
            ));
        }
    }
}
