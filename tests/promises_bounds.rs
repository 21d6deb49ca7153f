//! Bounded everything: proxies from the environment never see a loopback authority's forms.
#![allow(clippy::unwrap_used)]

mod common;

use common::PASSWORD;
use common::hostile::{Hostile, Reply, Victim};

#[test]
fn an_environment_proxy_never_receives_the_password_form_of_a_loopback_authority() {
    let proxy = Hostile::start(vec![Reply::token("AT-PROXY", None)]);
    let ep = Hostile::start(vec![Reply::token("AT-1", None)]);
    let v = Victim::new(ep.clone(), &[]);
    let mut cmd = v.cmd();
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        cmd.env(var, proxy.url());
    }
    cmd.env_remove("NO_PROXY").env_remove("no_proxy");
    cmd.args(["login", &v.name, "--password-stdin"])
        .write_stdin(format!("{PASSWORD}\n"))
        .assert()
        .success();
    assert!(proxy.seen().is_empty(), "the proxy saw {:?}", proxy.seen());
    assert_eq!(ep.grants("password"), 1);
}

#[test]
#[cfg(unix)]
fn the_lcs_probe_reads_at_most_one_mebibyte_of_a_huge_answer() {
    let ep = Hostile::start(vec![Reply::token("AT-1", None)]);
    let url = ep.url();
    let v = Victim::new(ep.clone(), &["--api-host", &url, "--project-id", "1234567"]);
    v.login(PASSWORD).success();
    ep.then(vec![Reply::Huge {
        status: 200,
        bytes: 300 * 1024 * 1024,
    }]);
    let a = v.run(&["probe", &v.name]);
    let text = format!("{}{}", common::stdout(&a), common::stderr(&a));
    assert!(text.contains("larger than 1 MiB"), "{text}");
    // The largest resident size of any child this test waited for (lcsauth is the only kind).
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN).unwrap();
    let peak_mib = usage.max_rss() / 1024;
    assert!(peak_mib < 100, "lcsauth held {peak_mib} MiB for a 300 MiB answer");
}

#[test]
fn a_trickling_answer_is_cut_at_the_http_timeout_and_the_password_is_not_sent_again() {
    let body = r#"{"token_type":"Bearer","expires_in":3599,"access_token":"AT-SLOW"}"#.to_string();
    let ep = Hostile::start(vec![Reply::Slow {
        body,
        gap: std::time::Duration::from_millis(100),
    }]);
    let v = Victim::new(ep.clone(), &[]);
    common::set_http_timeout(v.dir.path(), "1s");
    let started = std::time::Instant::now();
    let e = common::stderr(&v.login(PASSWORD).code(4));
    assert!(e.contains("within 1s"), "{e}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(ep.grants("password"), 1, "the password was sent again after a timeout");
}
