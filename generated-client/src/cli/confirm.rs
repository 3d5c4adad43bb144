//! Operations that cannot be undone (a Backup Compliance Policy enabled,
//! changed or disabled) are sent only when confirmed: `--yes`, or `yes`
//! typed at a prompt when standard input and standard error are a
//! terminal. Elsewhere, as in a script, the command is refused before
//! anything is sent.

use std::io::{self, BufRead, IsTerminal, Write};

use clap::ArgMatches;

use super::output::Failure;

/// Whether the operation `command`, which `note` says cannot be undone,
/// may be sent with the flags in `args`.
pub(super) fn confirmed(command: &str, note: &str, args: &ArgMatches) -> Result<(), Failure> {
    let yes = args.try_get_one::<bool>("yes").ok().flatten() == Some(&true);
    let terminal = io::stdin().is_terminal() && io::stderr().is_terminal();
    let prompt = terminal.then(|| io::stdin().lock());
    decide(command, note, yes, prompt, &mut io::stderr())
}

/// `--yes` confirms; else the answer read from `prompt` after asking on
/// `asking`, when there is a terminal to ask on.
fn decide(
    command: &str,
    note: &str,
    yes: bool,
    prompt: Option<impl BufRead>,
    asking: &mut impl Write,
) -> Result<(), Failure> {
    if yes {
        return Ok(());
    }
    let Some(mut prompt) = prompt else {
        return Err(Failure::Usage(format!(
            "{command} cannot be undone: {note} Give --yes to go on; nothing was sent."
        )));
    };
    write!(
        asking,
        "{command} cannot be undone: {note}\nType yes to go on: "
    )
    .and_then(|()| asking.flush())
    .map_err(Failure::Output)?;
    let mut answer = String::new();
    prompt.read_line(&mut answer).map_err(Failure::Output)?;
    if answer.trim() == "yes" {
        Ok(())
    } else {
        Err(Failure::Usage(format!(
            "{command} was not confirmed; nothing was sent."
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTE: &str = "It needs a support ticket to undo.";

    fn refusal(outcome: Result<(), Failure>) -> String {
        match outcome {
            Err(Failure::Usage(message)) => message,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn yes_confirms_without_asking() {
        let mut asked = Vec::new();
        let outcome = decide("disable-policy", NOTE, true, None::<&[u8]>, &mut asked);
        assert!(outcome.is_ok());
        assert!(asked.is_empty());
    }

    #[test]
    fn without_a_terminal_or_yes_nothing_is_sent() {
        let mut asked = Vec::new();
        let outcome = decide("disable-policy", NOTE, false, None::<&[u8]>, &mut asked);
        assert_eq!(
            refusal(outcome),
            "disable-policy cannot be undone: It needs a support ticket to undo. Give --yes to go on; nothing was sent."
        );
        assert!(asked.is_empty());
    }

    #[test]
    fn on_a_terminal_only_yes_goes_on() {
        let mut asked = Vec::new();
        assert!(
            decide(
                "disable-policy",
                NOTE,
                false,
                Some(&b"yes\n"[..]),
                &mut asked
            )
            .is_ok()
        );
        assert_eq!(
            String::from_utf8(asked).unwrap(),
            "disable-policy cannot be undone: It needs a support ticket to undo.\nType yes to go on: "
        );
        for answer in [&b"y\n"[..], b"no\n", b""] {
            let outcome = decide("disable-policy", NOTE, false, Some(answer), &mut Vec::new());
            assert_eq!(
                refusal(outcome),
                "disable-policy was not confirmed; nothing was sent."
            );
        }
    }
}
