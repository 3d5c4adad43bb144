//! The spec read, checked and adapted once, and every file generated from
//! it: the client, the command line's table and the typed mocks.
//! [`crate::regen`] writes or checks them; the diff generates each
//! version's client through the same chain ([`Pipeline::into_public_client`]).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use openapiv3::OpenAPI;
use proc_macro2::TokenStream;
use serde_json::Value;

use crate::adapt::{self, Adapted, Refused};
use crate::facts::OperationFacts;
use crate::generate::schemas::RefusedSchema;
use crate::postprocess::Passes;
use crate::tagged_unions::TaggedUnion;
use crate::waiters::{self, OperationWaiters};
use crate::watches::{self, Watch};
use crate::{cli_table, generate, postprocess, spec};

/// One generated file of the client crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeneratedFile {
    /// The typed client, `generated.rs`.
    Client,
    /// The table of commands of the client's command line, and their
    /// dispatch.
    CliTable,
    /// The typed mocks.
    Mocks,
}

impl GeneratedFile {
    /// Every generated file, in the order regen writes them.
    pub const ALL: [GeneratedFile; 3] = [
        GeneratedFile::Client,
        GeneratedFile::CliTable,
        GeneratedFile::Mocks,
    ];

    /// Where the file lives, relative to the workspace root.
    pub fn path(self) -> &'static str {
        match self {
            GeneratedFile::Client => crate::GENERATED_PATH,
            GeneratedFile::CliTable => "generated-client/src/cli/operations.rs",
            GeneratedFile::Mocks => "generated-client/src/mock/generated.rs",
        }
    }
}

/// The spec, read, checked and adapted for progenitor.
#[derive(Debug)]
pub struct Pipeline {
    /// Where errors point.
    spec_path: PathBuf,
    /// How the header of a generated file names the spec.
    spec_name: String,
    adapted: Adapted,
    /// The spec's `x-waiters`, by the operation each reads.
    waiters: Vec<OperationWaiters>,
    /// The writes that name a waiter in `x-watch`.
    watches: Vec<Watch>,
    /// The operations the adaptation left out, with why: none but for
    /// [`Pipeline::leaving_out_refused`].
    refused: Vec<Refused>,
}

/// One version's client as the diff reads it, from
/// [`Pipeline::into_public_client`].
pub struct PublicClient {
    /// The client, its function bodies that the public items do not show
    /// left out.
    pub file: syn::File,
    /// What each operation it has carries beyond progenitor's.
    pub operations: Vec<OperationFacts>,
    /// The operations left out, as the adaptation or progenitor refused
    /// them.
    pub unavailable: Vec<Refused>,
    /// The component schemas typify refused, left out with the schemas
    /// that reach them.
    pub unavailable_schemas: Vec<RefusedSchema>,
}

impl Pipeline {
    /// Reads the spec at `spec_path`, checks it ([`spec::parse`]) and its
    /// waiters and watches, and adapts it ([`adapt::for_progenitor`]);
    /// `spec_name` is how the headers of the generated files name it.
    pub fn load(spec_path: &Path, spec_name: &str) -> Result<Pipeline> {
        let spec::Spec { document, openapi } = spec::load(spec_path)?;
        let waiters = waiters::read(&document).with_context(|| in_spec(spec_path))?;
        let watches = watches::read(&document, &waiters).with_context(|| in_spec(spec_path))?;
        let adapted = adapt::for_progenitor(openapi).with_context(|| in_spec(spec_path))?;
        Ok(Pipeline {
            spec_path: spec_path.to_path_buf(),
            spec_name: spec_name.to_string(),
            adapted,
            waiters,
            watches,
            refused: Vec::new(),
        })
    }

    /// [`Pipeline::load`] for the diff, of a version typed as `openapi`
    /// and written as `document`, which [`spec::check_for_generator`] has
    /// passed; `spec_path` names it. What regen refuses is left out
    /// instead: a malformed waiter or watch, and each operation the
    /// adaptation cannot take, listed with why.
    pub fn leaving_out_refused(
        openapi: OpenAPI,
        document: &Value,
        spec_path: &Path,
    ) -> Result<Pipeline> {
        let (waiters, _malformed) = waiters::check(document);
        let (watches, _malformed) = watches::check(document, &waiters);
        let (adapted, refused) =
            adapt::for_progenitor_without_refused(openapi).with_context(|| in_spec(spec_path))?;
        Ok(Pipeline {
            spec_path: spec_path.to_path_buf(),
            spec_name: in_spec(spec_path),
            adapted,
            waiters,
            watches,
            refused,
        })
    }

    /// What each operation's generated code carries beyond progenitor's.
    pub fn operations(&self) -> &[OperationFacts] {
        &self.adapted.operations
    }

    /// The discriminated schemas, each an enum of the client.
    pub fn unions(&self) -> &[TaggedUnion] {
        &self.adapted.unions
    }

    /// The syntax tree of `file`, before it is formatted.
    pub fn generate(&self, file: GeneratedFile) -> Result<syn::File> {
        let Adapted {
            openapi,
            operations,
            unions,
        } = &self.adapted;
        let tree = || match file {
            GeneratedFile::Client => {
                let tokens = generate::client_tokens(openapi, unions)?;
                let mut file = client(tokens, operations, unions, &self.waiters, Passes::All)?;
                // Examples are documentation, which the diff's public
                // items do not show: only the shipped client needs them.
                postprocess::examples::compile(&mut file, openapi, unions)?;
                Ok(file)
            }
            GeneratedFile::CliTable => {
                cli_table::file(openapi, operations, &self.waiters, &self.watches)
            }
            GeneratedFile::Mocks => {
                let tokens = generate::mock_tokens(openapi, unions)?;
                postprocess::mocks::apply(tokens, operations)
            }
        };
        tree().with_context(|| in_spec(&self.spec_path))
    }

    /// The client for the diff: each operation progenitor fails on and
    /// each component schema typify fails on left out, with what reaches
    /// it, and listed; the code cut to what its public items show
    /// ([`generate::outline`]) and given only the passes they show
    /// ([`Passes::Signatures`]). An error when nothing can be generated.
    /// The spec is freed before the syntax tree, the largest step, is
    /// built.
    pub fn into_public_client(self) -> Result<PublicClient> {
        let in_spec = || in_spec(&self.spec_path);
        let Adapted {
            mut openapi,
            mut operations,
            unions,
        } = self.adapted;
        let (tokens, left_out) = generate::client_tokens_leaving_out_failing(&mut openapi, &unions)
            .with_context(in_spec)?;
        drop(openapi);
        let failing = left_out.operations;
        operations.retain(|fact| !failing.iter().any(|f| f.operation_id == fact.operation_id));
        let mut waiters = self.waiters;
        waiters.retain(|w| {
            operations
                .iter()
                .any(|fact| fact.operation_id == w.operation_id)
        });
        let tokens = generate::outline::outline(tokens);
        let file = client(tokens, &operations, &unions, &waiters, Passes::Signatures)
            .with_context(in_spec)?;
        let mut unavailable = self.refused;
        unavailable.extend(failing);
        Ok(PublicClient {
            file,
            operations,
            unavailable,
            unavailable_schemas: left_out.schemas,
        })
    }

    /// `file` as it is committed: formatted, under its header.
    pub fn render(&self, file: GeneratedFile) -> Result<String> {
        let tree = self.generate(file)?;
        Ok(format!(
            "// @generated by `cargo xtask regen` from {}.\n\
             // Do not edit: change the spec or xtask, then run `cargo xtask regen`.\n\n{}",
            self.spec_name,
            prettyplease::unparse(&tree)
        ))
    }

    /// Each of `files` rendered, side by side on threads of their own, in
    /// the order given; the first error in that order if any fails.
    pub fn render_all(&self, files: &[GeneratedFile]) -> Result<Vec<String>> {
        std::thread::scope(|scope| {
            let rendering: Vec<_> = files
                .iter()
                .map(|&file| scope.spawn(move || self.render(file)))
                .collect();
            rendering
                .into_iter()
                .map(|thread| thread.join().expect("generation does not panic"))
                .collect()
        })
    }
}

/// The client from progenitor's `tokens`: the one chain of passes, which
/// regen and the diff both run.
fn client(
    tokens: TokenStream,
    operations: &[OperationFacts],
    unions: &[TaggedUnion],
    waiters: &[OperationWaiters],
    passes: Passes,
) -> Result<syn::File> {
    let mut file = postprocess::apply(tokens, operations, unions, passes)?;
    postprocess::waiters::add(&mut file, waiters)?;
    Ok(file)
}

fn in_spec(spec_path: &Path) -> String {
    spec_path.display().to_string()
}
