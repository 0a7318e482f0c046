//! Which files make a site: nginx server blocks, env files outside `app/etc`, deployment names,
//! and which files a site reads.

use super::environment_tests::{
    compose, dotenv, lint, nginx, sites, strings, CONFIG, ENV, ID, PRODUCTION,
};
use crate::model::TierKind;

/// An nginx server block passing `id` for `names`, serving `root`, with `more` directives.
fn server(names: &str, root: &str, id: &str, more: &str) -> String {
    format!(
        "server {{\n    server_name {names};\n    set $MAGE_ROOT {root};\n    location ~ \\.php$ {{\n        fastcgi_param CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_ID {id};\n{more}    }}\n}}\n"
    )
}

#[test]
fn server_blocks_of_several_deployments_are_each_a_site() {
    let redirect = "server {\n    listen 80;\n    server_name www.acme.com staging.acme.com;\n    return 301 https://$host$request_uri;\n}\n";
    let both = format!(
        "{redirect}{}{}",
        server("www.acme.com", "/var/www/acme", "prod", ""),
        server("staging.acme.com", "/var/www/acme", "testing", "")
    );
    let found = sites(&[
        ("app/etc/config.php", CONFIG),
        ("nginx/sites-available/acme.conf", &both),
    ]);
    let path = strings(&["nginx/sites-available/acme.conf"]);
    assert_eq!(
        found,
        vec![
            (
                "nginx/sites-available/acme.conf (server www.acme.com)".into(),
                path.clone(),
                Some("prod".into()),
                TierKind::Unknown
            ),
            (
                "nginx/sites-available/acme.conf (server staging.acme.com)".into(),
                path,
                Some("testing".into()),
                TierKind::NonProduction
            ),
        ]
    );
    // In a file each: named after the file; the host name says the tier, not the file name.
    let found = sites(&[
        ("app/etc/config.php", CONFIG),
        (
            "nginx/sites-available/staging.acme.com.conf",
            &server("staging.acme.com", "/var/www/acme", "testing", ""),
        ),
        (
            "nginx/sites-available/www.acme.dev.conf",
            &server("www.acme.dev", "/var/www/acme", "prod", ""),
        ),
    ]);
    let tiers: Vec<(String, TierKind)> = found.into_iter().map(|s| (s.0, s.3)).collect();
    assert_eq!(
        tiers,
        vec![
            (
                "nginx/sites-available/staging.acme.com.conf".into(),
                TierKind::NonProduction
            ),
            (
                "nginx/sites-available/www.acme.dev.conf".into(),
                TierKind::Unknown
            ),
        ]
    );
}

#[test]
fn server_blocks_of_one_deployment_stay_one_site() {
    // Two websites of one checkout: alike hosts, one root.
    let run = |code: &str| format!("        fastcgi_param MAGE_RUN_CODE {code};\n");
    let websites = format!(
        "{}{}",
        server("www.shop-a.com", "/var/www/shop", "prod", &run("a")),
        server("www.shop-b.com", "/var/www/shop", "prod", &run("b"))
    );
    let found = sites(&[
        ("app/etc/config.php", CONFIG),
        ("nginx/shops.conf", &websites),
    ]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "nginx/shops.conf");
    // Two checkouts are two deployments, whatever their hosts say.
    let checkouts = format!(
        "{}{}",
        server("www.acme.com", "/var/www/prod", "prod", ""),
        server("next.acme.com", "/var/www/next", "testing", "")
    );
    let found = sites(&[
        ("app/etc/config.php", CONFIG),
        ("nginx/acme.conf", &checkouts),
    ]);
    let ids: Vec<Option<String>> = found.into_iter().map(|s| s.2).collect();
    assert_eq!(ids, vec![Some("prod".into()), Some("testing".into())]);
}

#[test]
fn server_blocks_named_for_an_env_file_join_its_site() {
    let found = sites(&[
        ("app/etc/config.php", CONFIG),
        ("app/etc/env.production.php", PRODUCTION),
        ("app/etc/env.staging.php", PRODUCTION),
        (
            "nginx/production.conf",
            &server("www.acme.com", "/var/www/acme", "prod", ""),
        ),
        (
            "nginx/staging.conf",
            &server("staging.acme.com", "/var/www/acme", "testing", ""),
        ),
    ]);
    assert_eq!(
        found,
        vec![
            (
                "app/etc/env.production.php".into(),
                strings(&["nginx/production.conf"]),
                Some("prod".into()),
                TierKind::Production
            ),
            (
                "app/etc/env.staging.php".into(),
                strings(&["nginx/staging.conf"]),
                Some("testing".into()),
                TierKind::NonProduction
            ),
        ]
    );
}

#[test]
fn an_nginx_configuration_a_compose_file_mounts_belongs_with_it_in_either_syntax() {
    let short = "services:\n  web:\n    image: nginx\n    volumes:\n      - ./docker/nginx/vhost.conf:/etc/nginx/conf.d/default.conf:ro\n";
    let long = "services:\n  web:\n    image: nginx\n    volumes:\n      - type: bind\n        source: ./docker/nginx/vhost.conf\n        target: /etc/nginx/conf.d/default.conf\n";
    for compose in [short, long] {
        let got = sites(&[
            ("app/etc/config.php", CONFIG),
            ("app/etc/env.php", ENV),
            ("docker-compose.yml", compose),
            (
                "docker/nginx/vhost.conf",
                &format!(
                    "server {{\n  server_name magento.test;\n  {}}}\n",
                    nginx("local-space")
                ),
            ),
        ]);
        assert_eq!(got.len(), 1, "{compose}: {got:?}");
        assert_eq!(got[0].2.as_deref(), Some("local-space"), "{compose}");
    }
    // Not mounted: the stack does not serve it, so it is another deployment's.
    let unmounted = "services:\n  php:\n    image: php\n";
    let got = sites(&[
        ("app/etc/config.php", CONFIG),
        ("app/etc/env.php", ENV),
        ("docker-compose.yml", unmounted),
        (
            "docker/nginx/vhost.conf",
            &format!(
                "server {{\n  server_name www.acme.eu;\n  {}}}\n",
                nginx("server-space")
            ),
        ),
    ]);
    assert_eq!(got.len(), 2, "{got:?}");
}

#[test]
fn server_blocks_in_files_all_named_for_an_env_file_join_its_site() {
    // A vhost per website and deployment: each deployment's server blocks span two files,
    // all named for it (`prod` is `production`).
    let run = |code: &str| {
        format!("        include fastcgi_params;\n        fastcgi_param MAGE_RUN_CODE {code};\n")
    };
    let found = sites(&[
        ("app/etc/config.php", CONFIG),
        ("app/etc/env.production.php", PRODUCTION),
        ("app/etc/env.staging.php", PRODUCTION),
        (
            "nginx/acme-b2b.com/prod.conf",
            &server("www.acme-b2b.com", "/var/www/acme", "prod", &run("b2b")),
        ),
        (
            "nginx/acme-b2b.com/staging.conf",
            &server(
                "staging.acme-b2b.com",
                "/var/www/acme",
                "testing",
                &run("b2b"),
            ),
        ),
        (
            "nginx/acme.com/production.conf",
            &server("www.acme.com", "/var/www/acme", "prod", &run("base")),
        ),
        (
            "nginx/acme.com/staging.conf",
            &server("staging.acme.com", "/var/www/acme", "testing", &run("base")),
        ),
    ]);
    assert_eq!(
        found,
        vec![
            (
                "app/etc/env.production.php".into(),
                strings(&[
                    "nginx/acme-b2b.com/prod.conf",
                    "nginx/acme.com/production.conf"
                ]),
                Some("prod".into()),
                TierKind::Production
            ),
            (
                "app/etc/env.staging.php".into(),
                strings(&[
                    "nginx/acme-b2b.com/staging.conf",
                    "nginx/acme.com/staging.conf"
                ]),
                Some("testing".into()),
                TierKind::NonProduction
            ),
        ]
    );
}

#[test]
fn server_blocks_in_files_named_for_one_deployment_join_it_beside_files_named_for_none() {
    // Production's server blocks span `production.conf` and `wholesale.conf` (a website's name,
    // no deployment's): both join `env.production.php`; staging's join `env.staging.php`.
    let run = |code: &str| format!("        fastcgi_param MAGE_RUN_CODE {code};\n");
    let found = sites(&[
        ("app/etc/config.php", CONFIG),
        ("app/etc/env.production.php", PRODUCTION),
        ("app/etc/env.staging.php", PRODUCTION),
        (
            "nginx/production.conf",
            &server("www.acme.com", "/var/www/acme", "prod", &run("base")),
        ),
        (
            "nginx/staging.conf",
            &server("staging.acme.com", "/var/www/acme", "testing", &run("base")),
        ),
        (
            "nginx/wholesale.conf",
            &server(
                "www.acme-wholesale.com",
                "/var/www/acme",
                "prod",
                &run("wholesale"),
            ),
        ),
    ]);
    assert_eq!(
        found,
        vec![
            (
                "app/etc/env.production.php".into(),
                strings(&["nginx/production.conf", "nginx/wholesale.conf"]),
                Some("prod".into()),
                TierKind::Production
            ),
            (
                "app/etc/env.staging.php".into(),
                strings(&["nginx/staging.conf"]),
                Some("testing".into()),
                TierKind::NonProduction
            ),
        ]
    );
}

/// Each installation as (root, its env files' paths, the site names on it).
fn installations(files: &[(&str, &str)]) -> Vec<(String, Vec<String>, Vec<String>)> {
    let report = lint(files);
    let fleet = crate::model::resolve(&report.files, "/repo".as_ref());
    fleet
        .installations
        .iter()
        .enumerate()
        .map(|(index, installation)| {
            let env_files = installation
                .env_files
                .iter()
                .map(|&f| report.files[f].display_path.clone())
                .collect();
            let sites = fleet
                .sites
                .iter()
                .filter(|s| s.installation == index)
                .map(|s| s.name.clone())
                .collect();
            (installation.root.display().to_string(), env_files, sites)
        })
        .collect()
}

#[test]
fn an_env_php_in_an_etc_directory_outside_app_joins_the_installation_above() {
    // Only `<root>/app/etc` makes an installation root: `environments/staging/etc/env.php` (an
    // `etc/` not under `app/`) and `app/config/env.php` (under `app/`, not in `etc/`) are
    // deployment env files of the installation at the repository root, never the app/etc of an
    // installation of their own two directories up.
    let got = installations(&[
        ("app/config/env.php", PRODUCTION),
        ("app/etc/config.php", CONFIG),
        ("app/etc/env.php", ENV),
        ("environments/staging/etc/env.php", ENV),
    ]);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "/repo");
    assert_eq!(
        got[0].1,
        strings(&[
            "app/etc/env.php",
            "app/config/env.php",
            "environments/staging/etc/env.php"
        ])
    );
    assert_eq!(
        got[0].2,
        strings(&[
            "app/etc/env.php",
            "app/config/env.php",
            "environments/staging/etc/env.php"
        ])
    );
}

#[test]
fn an_env_php_in_docker_etc_is_no_app_etc_of_the_repository_root() {
    // Magento in `src/`, and `docker/etc/env.php` with no installation above it: that env file
    // is an installation of its own in its directory, not the app/etc of one rooted at the
    // repository (`docker/` is no `app/`).
    let got = installations(&[
        ("docker/etc/env.php", ENV),
        ("src/app/etc/config.php", CONFIG),
    ]);
    let roots: Vec<&str> = got.iter().map(|(root, _, _)| root.as_str()).collect();
    assert_eq!(roots, vec!["/repo/docker/etc", "/repo/src"], "{got:?}");
}

#[test]
fn dev_develop_and_development_name_one_deployment() {
    // `env.development.php` is the site `docker-compose.dev.yml` and `.env.develop` configure:
    // all three are one deployment, not the checkout's (`env.php`).
    let got = sites(&[
        (".env.develop", &dotenv("develop-space")),
        ("app/etc/config.php", CONFIG),
        ("app/etc/env.development.php", ENV),
        ("app/etc/env.php", PRODUCTION),
        ("docker-compose.dev.yml", &compose("dev-space")),
        ("docker-compose.yml", &compose("local")),
    ]);
    let without_tier: Vec<_> = got
        .iter()
        .map(|(name, environment, id, _)| (name.as_str(), environment.clone(), id.as_deref()))
        .collect();
    assert_eq!(
        without_tier,
        vec![
            (
                "app/etc/env.development.php",
                strings(&[
                    ".env.develop",
                    "docker-compose.yml",
                    "docker-compose.dev.yml"
                ]),
                Some("dev-space")
            ),
            (
                "app/etc/env.php",
                strings(&["docker-compose.yml"]),
                Some("local")
            ),
        ]
    );
    assert_eq!(got[0].3, TierKind::NonProduction);
}

#[test]
fn a_site_reads_its_own_files_and_its_installations_shared_ones_only() {
    let report = lint(&[
        ("app/etc/config.php", CONFIG),
        ("app/etc/env.php", ENV),
        ("app/etc/env.staging.php", PRODUCTION),
        (".env.staging", "MAGE_MODE=production\n"),
        ("composer.json", "{\"name\": \"acme/shop\"}"),
        ("other/app/etc/env.php", ENV),
    ]);
    let fleet = crate::model::resolve(&report.files, "/repo".as_ref());
    let file = |path: &str| {
        report
            .files
            .iter()
            .position(|f| f.display_path == path)
            .expect("a linted file")
    };
    let site = |path: &str| fleet.sites.iter().find(|s| s.name == path).expect("a site");
    let staging = site("app/etc/env.staging.php");
    let reads: Vec<&str> = report
        .files
        .iter()
        .enumerate()
        .filter(|&(id, _)| fleet.site_reads(staging, id))
        .map(|(_, f)| f.display_path.as_str())
        .collect();
    assert_eq!(
        reads,
        [
            "app/etc/config.php",
            "app/etc/env.staging.php",
            ".env.staging",
            "composer.json"
        ]
    );
    assert!(!fleet.site_reads(site("app/etc/env.php"), file(".env.staging")));
    assert!(!fleet.site_reads(site("other/app/etc/env.php"), file("app/etc/config.php")));
}

#[test]
fn a_compose_variable_is_read_from_the_env_file_beside_the_compose_file_only() {
    // The service's own env file (`env_file: docker/.env`) is no source of interpolation: only
    // the project's `.env`, beside docker-compose.yml, is.
    let stack = "services:\n  php:\n    env_file: docker/.env\n    environment:\n      CONFIG__DEFAULT__SERVICES_CONNECTOR__SERVICES_ID__ENVIRONMENT_ID: ${SAAS_ENVIRONMENT_ID}\n";
    let service = "SAAS_ENVIRONMENT_ID=from-the-service-env-file\n";
    let environment_id = |files: &[(&str, &str)]| {
        let report = lint(files);
        let fleet = crate::model::resolve(&report.files, "/repo".as_ref());
        let id = fleet.system_setting(&fleet.sites[0], ID).expect("set");
        (id.text().map(|t| t.into_owned()), id.is_dynamic())
    };
    let project = environment_id(&[
        ("app/etc/config.php", CONFIG),
        ("docker-compose.yml", stack),
        ("docker/.env", service),
        (".env", "SAAS_ENVIRONMENT_ID=from-the-project-env-file\n"),
    ]);
    assert_eq!(project, (Some("from-the-project-env-file".into()), false));
    let without = environment_id(&[
        ("app/etc/config.php", CONFIG),
        ("docker-compose.yml", stack),
        ("docker/.env", service),
    ]);
    assert_eq!(without, (None, true));
}
