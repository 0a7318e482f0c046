use super::*;
use crate::discover::{classify, Format, SourcePath};
use crate::lint::lint_inputs;
use crate::options::LintOptions;
use crate::run::Input;

#[test]
fn non_production_hosts() {
    for url in [
        "http://localhost:8080/",
        "http://localhost/",
        "http://127.0.0.1/",
        "http://127.0.1.1:8000/",
        "http://[::1]/",
        "https://magento.test/",
        "https://shop.acme.local/",
        "https://acme.localhost/",
        "https://acme.example/",
        "https://acme.invalid/",
        "https://acme.internal/",
        "https://magento.docker/",
        "https://acme.lan/",
        "https://acme.ddev.site/",
        "https://acme.lndo.site/",
        "https://mcstaging.acme.com/",
        "https://mcstaging.acme.com.c.abcdefghijklm.ent.magento.cloud/",
        "https://staging-5em2ouy-abcdefghijklm.us-3.magentosite.cloud/",
        "https://feature-x-5em2ouy-abcdefghijklm.us-3.magentosite.cloud/",
        "https://french.integration-5em2ouy-abcdefghijklm.eu-4.magentosite.cloud/",
        "https://dev.acme.com/",
        "https://staging.acme.com/",
        "https://staging2.acme.com/",
        "https://uat.acme.co.uk/",
        "https://www.staging.acme.com.au/",
        "https://QA.Acme.com./",
        "https://test/",
        "http://magento:8000/",
        "https://shop.acme.com:8443/",
        "https://user:pass@stage.acme.com/path?x#y",
    ] {
        assert!(from_base_url(url).is_some(), "{url}");
    }
}

/// The reason names what decided, so a host is not taken for the wrong reason.
#[test]
fn reasons_name_the_evidence() {
    for (url, said) in [
        (
            "https://staging-5em2ouy-abcdefghijklm.us-3.magentosite.cloud/",
            "a staging environment",
        ),
        (
            "https://my-feature-x-5em2ouy-abcdefghijklm.us-3.magentosite.cloud/",
            "branch `my-feature-x`",
        ),
        (
            "https://french.integration-5em2ouy-abcdefghijklm.eu-4.magentosite.cloud/",
            "branch `integration`",
        ),
        ("https://dev.shop.acme.cloud/", "subdomain `dev`"),
        ("https://staging.org.xyz/", "subdomain `staging`"),
        ("https://uat.acme.co.uk/", "subdomain `uat`"),
        ("https://acme.test/", "`.test`"),
        ("https://acme.ddev.site/", "`ddev.site`"),
        ("http://0.0.0.0/", "this machine"),
        ("http://web/", "single name"),
        ("http://127.0.0.1:8080/", "this machine"),
        ("https://www.acme.com:8888/", "port 8888"),
    ] {
        let reason = from_base_url(url).unwrap_or_default();
        assert!(reason.contains(said), "{url}: {reason}");
    }
}

#[test]
fn production_capable_hosts() {
    for url in [
        "https://www.acme.com/",
        // `.dev` is a public top-level domain; the registrable domain names no tier.
        "https://shop.acme.dev/",
        "https://acme.dev/",
        "https://www.stage-lighting-supply.com/",
        "https://staging.com/",
        "https://dev.co.uk/",
        "https://www.dev.com.au/",
        // A word inside a label is no environment name.
        "https://devices.example.com/",
        "https://staging-eu.acme.com/",
        "https://mystaging.acme.com/",
        "https://qa1b.acme.com/",
        // Starter's production branch, Pro's production.
        "https://master-7rqtwti-abcdefghijklm.us-4.magentosite.cloud/",
        "https://production-7rqtwti-abcdefghijklm.us-4.magentosite.cloud/",
        "https://mcprod.acme.com/",
        "https://10.0.0.5/",
        "https://192.168.1.10/",
        "http://127.acme.com.au/",
        "http://127.1234.0.1/",
        "https://x.magentosite.cloud/",
        "https://magentosite.cloud/",
        "https://www.shop.dev.co.uk/",
        "https://staging.{{shop}}.com/",
        "https://co.uk/",
        "https://[2001:db8::1]/",
        "{{unsecure_base_url}}",
        "https://${HOST}/",
        "https://%HOST%/",
        "",
        "/",
    ] {
        assert_eq!(from_base_url(url), None, "{url}");
    }
}

/// Only the local development ports count; any other port says nothing.
#[test]
fn only_local_development_ports() {
    for port in ["8080", "8443", "8888"] {
        let url = format!("https://www.acme.com:{port}/");
        assert!(
            from_base_url(&url).is_some_and(|r| r.contains(port)),
            "{url}"
        );
    }
    for port in [
        "443", "80", "8000", "8081", "3000", "18080", "80800", "888", "",
    ] {
        let url = format!("https://www.acme.com:{port}/");
        assert_eq!(from_base_url(&url), None, "{url}");
    }
}

#[test]
fn variants() {
    for (variant, expected) in [
        ("Production", Some(TierKind::Production)),
        ("prod", Some(TierKind::Production)),
        ("live", Some(TierKind::Production)),
        ("master", Some(TierKind::Production)),
        ("prod-eu", Some(TierKind::Production)),
        ("staging", Some(TierKind::NonProduction)),
        ("stage", Some(TierKind::NonProduction)),
        ("staging2", Some(TierKind::NonProduction)),
        ("staging-eu", Some(TierKind::NonProduction)),
        ("eu_staging", Some(TierKind::NonProduction)),
        ("uat1", Some(TierKind::NonProduction)),
        ("preprod", Some(TierKind::NonProduction)),
        ("pre-prod", Some(TierKind::NonProduction)),
        ("pre_prod", Some(TierKind::NonProduction)),
        ("local", Some(TierKind::NonProduction)),
        ("eu", None),
        ("docker", None),
        ("staging-prod", None),
        ("masterclass", None),
        ("production2", Some(TierKind::Production)),
        ("developer", None),
        ("", None),
    ] {
        assert_eq!(from_variant(variant), expected, "{variant}");
    }
}

#[test]
fn directory_names_are_whole_words() {
    assert_eq!(from_directory("staging"), Some(TierKind::NonProduction));
    assert_eq!(from_directory("UAT"), Some(TierKind::NonProduction));
    assert_eq!(from_directory("prod"), Some(TierKind::Production));
    assert_eq!(from_directory("master"), None);
    assert_eq!(from_directory("stage-lighting"), None);
    assert_eq!(from_directory("dev-tools"), None);
    assert_eq!(from_directory("tests"), None);
    let cases = [
        (
            "environments/staging/app/etc/env.php",
            "environments/staging",
            Some("staging"),
            Some((TierKind::NonProduction, "staging")),
        ),
        (
            "deploy/uat/env.php",
            ".",
            Some("shop"),
            Some((TierKind::NonProduction, "uat")),
        ),
        (
            "shop/deploy/prod/env.php",
            "shop",
            Some("shop"),
            Some((TierKind::Production, "prod")),
        ),
        // The nearest directory wins.
        (
            "production/deploy/staging/env.php",
            "production",
            Some("production"),
            Some((TierKind::NonProduction, "staging")),
        ),
        ("app/etc/env.php", "", Some("shop"), None),
        (
            "stage-lighting/app/etc/env.php",
            "stage-lighting",
            Some("stage-lighting"),
            None,
        ),
        // Directories above the installation (where the checkout lives) never count.
        ("dev/acme/app/etc/env.php", "dev/acme", Some("acme"), None),
    ];
    for (path, installation, root, expected) in cases {
        assert_eq!(
            from_directories(path, installation, root),
            expected,
            "{path}"
        );
    }
}

fn input(path: &str, text: &str) -> Input {
    let (kind, format) =
        classify(std::path::Path::new(path)).unwrap_or((FileKind::Other, Format::Php));
    Input {
        source: SourcePath {
            path: path.into(),
            kind,
            format,
            explicit: false,
            git: Default::default(),
        },
        text: Some(text.to_string()),
    }
}

/// The tier of each site of the files (path, text), by site name.
fn tiers(files: &[(&str, &str)]) -> Vec<(String, TierKind, String)> {
    let options = LintOptions {
        base_dir: "/fleet".into(),
        ..LintOptions::default()
    };
    let inputs = files.iter().map(|(p, t)| input(p, t)).collect();
    let report = lint_inputs(inputs, &options);
    let fleet = crate::model::resolve(&report.files, &options.base_dir);
    fleet
        .sites
        .iter()
        .map(|s| (s.name.clone(), s.tier.value, s.tier.reason.to_string()))
        .collect()
}

fn env(mode: &str, system: &str) -> String {
    format!("<?php return ['MAGE_MODE' => '{mode}', 'system' => [{system}]];")
}

#[test]
fn mage_mode_developer_and_default_make_a_site_non_production() {
    for mode in ["developer", "default"] {
        let text = env(mode, "");
        let found = tiers(&[("/fleet/app/etc/env.php", &text)]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, TierKind::NonProduction, "{mode}");
        assert!(found[0].2.contains(mode), "{found:?}");
    }
    for mode in ["production", "Developer", ""] {
        let text = env(mode, "");
        let found = tiers(&[("/fleet/app/etc/env.php", &text)]);
        assert_eq!(found[0].1, TierKind::Unknown, "{mode}");
    }
}

#[test]
fn base_urls_of_websites_and_store_views_count() {
    let website =
        "'websites' => ['eu' => ['web' => ['secure' => ['base_url' => 'https://eu.acme.test/']]]]";
    let store = "'stores' => ['fr' => ['web' => ['unsecure' => ['base_url' => 'http://staging.acme.fr/']]]]";
    let public = "'default' => ['web' => ['secure' => ['base_url' => 'https://www.acme.com/']]]";
    for (system, expected) in [
        (format!("{public}, {website}"), TierKind::NonProduction),
        (format!("{public}, {store}"), TierKind::NonProduction),
        (public.to_string(), TierKind::Unknown),
    ] {
        let text = env("production", &system);
        let found = tiers(&[("/fleet/app/etc/env.php", &text)]);
        assert_eq!(found[0].1, expected, "{system}: {found:?}");
    }
    // In config.php too, for every site of the installation.
    let config = format!("<?php return ['system' => [{website}]];");
    let found = tiers(&[
        ("/fleet/app/etc/config.php", &config),
        ("/fleet/app/etc/env.php", &env("production", "")),
    ]);
    assert_eq!(found[0].1, TierKind::NonProduction, "{found:?}");
    // And through CONFIG__ variables of either scope, set where the site runs.
    for variable in [
        "CONFIG__WEBSITES__EU__WEB__SECURE__BASE_URL=https://eu.acme.test/",
        "CONFIG__STORES__FR__WEB__UNSECURE__BASE_URL=http://staging.acme.fr/",
    ] {
        let found = tiers(&[
            ("/fleet/app/etc/env.php", &env("production", "")),
            ("/fleet/.env", &format!("{variable}\n")),
        ]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, TierKind::NonProduction, "{variable}: {found:?}");
    }
}

#[test]
fn names_decide_before_mode_and_hosts() {
    let local = env(
        "developer",
        "'default' => ['web' => ['secure' => ['base_url' => 'https://acme.test/']]]",
    );
    let found = tiers(&[
        ("/fleet/app/etc/env.production.php", &local),
        ("/fleet/deploy/prod/env.php", &local),
        ("/fleet/app/etc/env.php", &local),
    ]);
    let tier_of = |name: &str| {
        found
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, t, r)| (*t, r.clone()))
    };
    assert_eq!(
        tier_of("app/etc/env.production.php").map(|t| t.0),
        Some(TierKind::Production)
    );
    let (kind, reason) = tier_of("deploy/prod/env.php").expect("a site");
    assert_eq!(kind, TierKind::Production, "{reason}");
    assert!(reason.contains("`prod`"), "{reason}");
    let (kind, reason) = tier_of("app/etc/env.php").expect("a site");
    assert_eq!(kind, TierKind::NonProduction);
    assert!(reason.contains("MAGE_MODE"), "{reason}");
}

#[test]
fn an_environment_directory_is_evidence() {
    let text = env("production", "");
    let found = tiers(&[
        ("/fleet/environments/staging/app/etc/env.php", &text),
        ("/fleet/environments/production/app/etc/env.php", &text),
        ("/fleet/stage-lighting/app/etc/env.php", &text),
    ]);
    let kinds: Vec<TierKind> = found.iter().map(|f| f.1).collect();
    assert_eq!(
        kinds,
        [
            TierKind::Production,
            TierKind::NonProduction,
            TierKind::Unknown
        ],
        "{found:?}"
    );
}
