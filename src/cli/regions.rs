//! `regions` and `completions`.

use serde_json::json;

use lcsauth::region::{REGIONS, default_scope};

use crate::front::failure::Failure;

pub fn run(as_json: bool) -> Result<(), Failure> {
    if as_json {
        let rows: Vec<_> = REGIONS
            .iter()
            .map(|r| {
                json!({
                    "region": r.key, "name": r.name, "portal": r.portal, "api_host": r.api_host,
                    "scope": default_scope(r.api_host), "authority": r.authority,
                    "certainty": { "api_host": r.api_host_certainty, "scope": r.scope_certainty, "authority": r.authority_certainty },
                })
            })
            .collect();
        jsonln!(serde_json::Value::Array(rows));
        return Ok(());
    }
    for r in &REGIONS {
        outln!("{:<9} {}", r.key, r.name);
        outln!("          api host   {}  [{}]", r.api_host, r.api_host_certainty.mark());
        outln!(
            "          scope      {}  [{}]",
            default_scope(r.api_host),
            r.scope_certainty.mark()
        );
        outln!(
            "          authority  {}  [{}]",
            r.authority,
            r.authority_certainty.mark()
        );
    }
    outln!("custom    any other host: give --api-host (and --scope, --authority if they differ)");
    outln!();
    outln!("documented: stated by Microsoft; inferred: follows the documented pattern; guessed: override it if");
    outln!("your tenant says otherwise (--scope, --authority). UK, Japan, India, Australia, Canada and other Azure");
    outln!("regions have no LCS instance of their own: use global.");
    Ok(())
}
