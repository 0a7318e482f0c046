//! Which site reads which environment file, and which value wins.

use crate::discover::{classify, SourcePath};
use crate::lint::lint_inputs;
use crate::model::{Origin, TierKind};
use crate::options::LintOptions;
use crate::run::{Input, Report};

pub(super) const ID: &str = "default/services_connector/services_id/environment_id";

pub(super) fn lint(files: &[(&str, &str)]) -> Report {
    let inputs = files
        .iter()
        .map(|(path, text)| {
            let path = std::path::Path::new("/repo").join(path);
            let (kind, format) = classify(&path).expect("a config file name");
            Input {
                source: SourcePath {
                    path,
                    kind,
                    format,
                    explicit: false,
                    git: Default::default(),
                },
                text: Some(text.to_string()),
            }
        })
        .collect();
    let options = LintOptions {
        base_dir: "/repo".into(),
        ..LintOptions::default()
    };
    lint_inputs(inputs, &options)
}

/// Each site as (name, its environment files' paths, the environment_id it reads, its tier).
pub(super) fn sites(
    files: &[(&str, &str)],
) -> Vec<(String, Vec<String>, Option<String>, TierKind)> {
    let report = lint(files);
    let fleet = crate::model::resolve(&report.files, "/repo".as_ref());
    fleet
        .sites
        .iter()
        .map(|site| {
            let environment = site
                .environment
                .iter()
                .map(|&f| report.files[f].display_path.clone())
                .collect();
            let id = fleet
                .system_setting(site, ID)
                .and_then(|s| s.text().map(|t| t.into_owned()));
            (site.name.clone(), environment, id, site.tier.value)
        })
        .collect()
}

pub(super) const CONFIG: &str =
    "<?php return ['scopes' => ['websites' => ['base' => ['code' => 'base']]]];";
pub(super) const ENV: &str = "<?php return ['MAGE_MODE' => 'developer'];";
pub(super) const PRODUCTION: &str = "<?php return ['MAGE_MODE' => 'production'];";

pub(super) fn compose(id: &str) -> String {
    format!("services:\n  php:\n    environment:\n      CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_ID: {id}\n")
}

pub(super) fn dotenv(id: &str) -> String {
    format!("CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_ID={id}\n")
}

pub(super) fn nginx(id: &str) -> String {
    format!(
        "fastcgi_param CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_ID {id};\n"
    )
}

pub(super) fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn unnamed_files_join_the_checkouts_env_php() {
    let got = sites(&[
        ("app/etc/config.php", CONFIG),
        ("app/etc/env.php", ENV),
        ("app/etc/env.production.php", PRODUCTION),
        ("docker-compose.yml", &compose("local")),
    ]);
    assert_eq!(
        got,
        vec![
            (
                "app/etc/env.php".into(),
                strings(&["docker-compose.yml"]),
                Some("local".into()),
                TierKind::NonProduction
            ),
            (
                "app/etc/env.production.php".into(),
                Vec::new(),
                None,
                TierKind::Production
            ),
        ]
    );
}

#[test]
fn without_env_php_unnamed_files_make_a_site_of_their_own() {
    let got = sites(&[
        ("app/etc/config.php", CONFIG),
        ("app/etc/env.staging.php", ENV),
        ("compose.yaml", &compose("local")),
    ]);
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].0, "compose.yaml");
    assert_eq!(got[1].1, strings(&["compose.yaml"]));
    assert_eq!(
        got[1].3,
        TierKind::Unknown,
        "a compose file is no tier evidence"
    );
    assert_eq!(
        got[0].2, None,
        "env.staging.php does not read the local compose file"
    );
}

#[test]
fn named_files_join_the_env_file_of_their_name_or_make_a_named_site() {
    let got = sites(&[
        ("app/etc/config.php", CONFIG),
        ("app/etc/env.stage.php", ENV),
        (".env.staging", &dotenv("staging-space")),
        ("nginx/production.conf", &nginx("production-space")),
    ]);
    assert_eq!(
        got,
        vec![
            (
                "app/etc/env.stage.php".into(),
                strings(&[".env.staging"]),
                Some("staging-space".into()),
                TierKind::NonProduction
            ),
            (
                "nginx/production.conf".into(),
                strings(&["nginx/production.conf"]),
                Some("production-space".into()),
                TierKind::Production
            ),
        ]
    );
}

#[test]
fn a_compose_overlay_runs_on_top_of_the_unnamed_compose_files() {
    let got = sites(&[
        ("app/etc/config.php", CONFIG),
        ("app/etc/env.production.php", PRODUCTION),
        // In path order, as a walk gives them.
        ("docker-compose.override.yml", &compose("override")),
        ("docker-compose.prod.yml", &compose("production-space")),
        ("docker-compose.yml", &compose("local")),
    ]);
    assert_eq!(got[0].0, "app/etc/env.production.php");
    assert_eq!(
        got[0].1,
        strings(&[
            "docker-compose.yml",
            "docker-compose.override.yml",
            "docker-compose.prod.yml"
        ])
    );
    assert_eq!(got[0].2.as_deref(), Some("production-space"));
    assert_eq!(got[1].0, "docker-compose.yml");
    assert_eq!(
        got[1].2.as_deref(),
        Some("override"),
        "the override file wins"
    );
}

#[test]
fn an_env_file_named_by_a_compose_file_belongs_with_it() {
    let compose = "services:\n  php:\n    env_file:\n      - path: ./docker/.env.staging\n        required: false\n";
    let got = sites(&[
        ("app/etc/config.php", CONFIG),
        ("app/etc/env.php", ENV),
        ("docker-compose.yml", compose),
        ("docker/.env.staging", &dotenv("local-space")),
    ]);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        got[0].1,
        strings(&["docker/.env.staging", "docker-compose.yml"])
    );
    assert_eq!(got[0].2.as_deref(), Some("local-space"));
}

#[test]
fn templates_are_no_deployments() {
    let got = sites(&[
        ("app/etc/config.php", CONFIG),
        (".env.dist", &dotenv("template")),
        ("docker-compose.yml.dist", &compose("template")),
    ]);
    assert_eq!(got.len(), 1);
    assert!(got[0].0.ends_with("(config.php only)"), "{got:?}");
    assert!(got[0].1.is_empty());
    assert_eq!(got[0].2, None);
}

#[test]
fn compose_wins_over_env_files_which_win_over_nginx() {
    let report = lint(&[
        ("app/etc/config.php", CONFIG),
        (
            "app/etc/env.php",
            "<?php return ['MAGE_MODE' => 'production'];",
        ),
        (
            "nginx/default.conf",
            &(nginx("from-nginx") + "fastcgi_param MAGE_MODE developer;\n"),
        ),
        (".env", &dotenv("from-dotenv")),
        ("docker-compose.yml", &compose("from-compose")),
    ]);
    let fleet = crate::model::resolve(&report.files, "/repo".as_ref());
    let site = &fleet.sites[0];
    let id = fleet.system_setting(site, ID).expect("set");
    assert_eq!(id.text().as_deref(), Some("from-compose"));
    assert_eq!(id.origin, Origin::SiteVariable);
    assert!(!id.is_shared());
    // Magento's bootstrap parameters ($_SERVER) win over env.php's MAGE_MODE.
    let mode = fleet.deployment_setting(site, "MAGE_MODE").expect("set");
    assert_eq!(mode.text().as_deref(), Some("developer"));
    assert_eq!(report.files[mode.file].display_path, "nginx/default.conf");
    assert_eq!(
        mode.key_location.and_then(|l| l.pointer).as_deref(),
        Some("/fastcgi_param/MAGE_MODE")
    );
    assert_eq!(site.tier.value, TierKind::NonProduction);
}

#[test]
fn a_compose_file_beside_the_installation_directory_finds_the_only_one_below() {
    let stack = "services:\n  phpfpm:\n    env_file: env/phpfpm.env\n  web:\n    volumes:\n      - ./docker/nginx/default.conf:/etc/nginx/conf.d/default.conf:ro\n      - appdata:/var/www/html\n";
    let got = sites(&[
        ("src/app/etc/config.php", CONFIG),
        ("compose.yaml", stack),
        ("docker/nginx/default.conf", &nginx("nginx-space")),
        ("env/phpfpm.env", &dotenv("phpfpm-space")),
        // Beside the installation and named by nothing: no installation's.
        ("tools/.env", &dotenv("tools-space")),
    ]);
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].1,
        strings(&[
            "docker/nginx/default.conf",
            "env/phpfpm.env",
            "compose.yaml"
        ])
    );
    assert_eq!(got[0].2.as_deref(), Some("phpfpm-space"));
    // With two installations below, a file above both is neither's.
    let got = sites(&[
        ("us/app/etc/config.php", CONFIG),
        ("eu/app/etc/config.php", CONFIG),
        ("compose.yaml", &compose("local")),
    ]);
    assert!(
        got.iter().all(|site| site.1.is_empty() && site.2.is_none()),
        "{got:?}"
    );
}

#[test]
fn an_unknown_name_joins_the_env_file_of_that_name_else_the_checkout() {
    let got = sites(&[
        ("app/etc/config.php", CONFIG),
        ("app/etc/env.eu.php", PRODUCTION),
        ("app/etc/env.php", ENV),
        ("docker-compose.eu.yml", &compose("eu-space")),
        ("docker-compose.us.yml", &compose("us-space")),
    ]);
    assert_eq!(got[0].0, "app/etc/env.eu.php");
    assert_eq!(got[0].2.as_deref(), Some("eu-space"));
    assert_eq!(got[1].0, "app/etc/env.php");
    assert_eq!(got[1].2.as_deref(), Some("us-space"));
}

#[test]
fn list_variables_point_at_their_index() {
    let text = "services:\n  php:\n    environment:\n      - MAGE_MODE=developer\n      - CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_ID=x\n";
    let report = lint(&[("app/etc/config.php", CONFIG), ("compose.yaml", text)]);
    let fleet = crate::model::resolve(&report.files, "/repo".as_ref());
    let id = fleet.system_setting(&fleet.sites[0], ID).expect("set");
    let pointer = id.key_location.and_then(|l| l.pointer);
    assert_eq!(pointer.as_deref(), Some("/services/php/environment/1"));
    assert_eq!(&text[id.node.span.range()], "x");
}

#[test]
fn a_development_overlay_is_the_checkouts_own_and_says_its_tier() {
    // markshust/docker-magento runs `compose.yaml` with `compose.dev.yaml` on the developer's
    // machine: one deployment, the checkout's.
    let got = sites(&[
        ("src/app/etc/config.php", CONFIG),
        ("src/app/etc/env.php", PRODUCTION),
        ("compose.dev.yaml", &compose("dev-space")),
        ("compose.yaml", &compose("local")),
    ]);
    assert_eq!(
        got,
        vec![(
            "src/app/etc/env.php".into(),
            strings(&["compose.yaml", "compose.dev.yaml"]),
            Some("dev-space".into()),
            TierKind::NonProduction
        )]
    );
    // `.env.local` is every machine's own, production's too: no tier evidence.
    let got = sites(&[
        ("app/etc/config.php", CONFIG),
        ("app/etc/env.php", PRODUCTION),
        (".env.local", &dotenv("local-space")),
    ]);
    assert_eq!(got[0].1, strings(&[".env.local"]));
    assert_eq!(got[0].3, TierKind::Unknown);
}

#[test]
fn a_compose_variable_is_read_from_the_project_env_file() {
    let stack = "services:\n  php:\n    environment:\n      MAGE_MODE: ${MODE}\n      CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_ID: \"${SAAS_ENVIRONMENT_ID}\"\n      CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__PROJECT_ID: ${SAAS_PROJECT_ID:-fallback}\n";
    let report = lint(&[
        ("app/etc/config.php", CONFIG),
        ("docker-compose.yml", stack),
        (".env", "MODE=developer\nSAAS_ENVIRONMENT_ID=from-dotenv\n"),
    ]);
    let fleet = crate::model::resolve(&report.files, "/repo".as_ref());
    let site = &fleet.sites[0];
    let id = fleet.system_setting(site, ID).expect("set");
    assert_eq!(id.text().as_deref(), Some("from-dotenv"));
    assert_eq!(report.files[id.file].display_path, ".env");
    let written = id.key_location.as_ref().expect("a key");
    assert_eq!(report.files[written.file].display_path, ".env");
    assert_eq!(written.pointer.as_deref(), Some("/SAAS_ENVIRONMENT_ID"));
    assert_eq!(site.tier.value, TierKind::NonProduction, "{:?}", site.tier);
    // Not in `.env`: dynamic (its fallback is the shell's business).
    let project = fleet
        .system_setting(site, "default/services_connector/services_id/project_id")
        .expect("set");
    assert!(project.is_dynamic());
}
