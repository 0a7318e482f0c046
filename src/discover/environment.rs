//! Files that set a deployment's process environment, by name: Docker Compose files, the env
//! files Docker Compose reads, and nginx configuration. Magento reads `CONFIG__…` variables
//! from its environment, and these are where repositories write them.

use super::{FileKind, Format, TEMPLATE_SUFFIXES};
use std::path::Path;

/// What follows `.env.` in a program or document, not an env file (`.env.php`, `.env.js`).
const NOT_ENV_EXTENSIONS: &[&str] = &[
    "php", "js", "mjs", "cjs", "ts", "json", "yml", "yaml", "xml", "sh", "bash", "py", "rb", "go",
    "md", "html",
];

/// The environment file `path` (named `name`) is, if any.
pub(super) fn classify(path: &Path, name: &str) -> Option<(FileKind, Format)> {
    if let Some(variant) = compose_variant(name) {
        return Some((FileKind::DockerCompose { variant }, Format::Yaml));
    }
    if let Some(variant) = dotenv_variant(name) {
        return Some((FileKind::DotEnv { variant }, Format::DotEnv));
    }
    nginx_variant(path, name).map(|variant| (FileKind::Nginx { variant }, Format::Nginx))
}

/// `name` without a template suffix (`.dist`, `.sample`…), and that suffix.
fn strip_template(name: &str) -> (&str, Option<&str>) {
    match name.rsplit_once('.') {
        Some((rest, suffix)) if TEMPLATE_SUFFIXES.contains(&suffix) => (rest, Some(suffix)),
        _ => (name, None),
    }
}

/// The names Docker Compose reads by default (`compose.yaml`, `docker-compose.yml`, their
/// `.override` files) and the overlays named after them (`docker-compose.staging.yml`,
/// `docker-compose-dev.yml`). `Some(None)`: no variant; a template suffix is the variant.
fn compose_variant(name: &str) -> Option<Option<String>> {
    let (name, template) = strip_template(name);
    let stem = name
        .strip_suffix(".yml")
        .or_else(|| name.strip_suffix(".yaml"))?;
    let variant = match stem {
        "docker-compose" | "compose" => None,
        _ => {
            let rest = stem
                .strip_prefix("docker-compose.")
                .or_else(|| stem.strip_prefix("docker-compose-"))
                .or_else(|| stem.strip_prefix("compose."))?;
            if rest.is_empty() {
                return None;
            }
            Some(rest)
        }
    };
    Some(template.or(variant).map(str::to_string))
}

/// `.env`, `.env.<variant>` (`.env.staging`, `.env.dist`) and `<variant>.env` (`phpfpm.env`).
/// `.envrc` (direnv, a shell script) and `.env.php` (a program) are not env files.
fn dotenv_variant(name: &str) -> Option<Option<String>> {
    if name == ".env" {
        return Some(None);
    }
    if let Some(rest) = name.strip_prefix(".env.") {
        let ignored = NOT_ENV_EXTENSIONS.contains(&rest.to_ascii_lowercase().as_str());
        return (!rest.is_empty() && !ignored).then(|| Some(rest.to_string()));
    }
    let stem = name.strip_suffix(".env")?.trim_start_matches('.');
    (!stem.is_empty()).then(|| Some(stem.to_string()))
}

/// `nginx.conf`, Magento's `nginx.conf.sample` (included as it is by the server's
/// configuration), `*.nginx.conf` / `*.nginx`, and `*.conf` under a directory named for nginx
/// (`docker/nginx/default.conf`, `nginx-conf/site.conf`). Other `*.conf` files are Apache's,
/// supervisor's, PHP-FPM's...: not read.
fn nginx_variant(path: &Path, name: &str) -> Option<Option<String>> {
    if name == "nginx.conf" || name == "nginx.conf.sample" {
        return Some(None);
    }
    if let Some(stem) = name
        .strip_suffix(".nginx.conf")
        .or_else(|| name.strip_suffix(".nginx"))
    {
        return (!stem.is_empty()).then(|| Some(stem.to_string()));
    }
    let stem = name.strip_suffix(".conf")?;
    let in_nginx_dir = path
        .parent()?
        .components()
        .any(|c| is_nginx_dir(&c.as_os_str().to_string_lossy()));
    (in_nginx_dir && !stem.is_empty()).then(|| Some(stem.to_string()))
}

fn is_nginx_dir(name: &str) -> bool {
    let name = name.trim_start_matches('.').to_ascii_lowercase();
    name == "nginx"
        || name
            .strip_prefix("nginx")
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(path: &str) -> Option<FileKind> {
        let path = Path::new(path);
        let name = path.file_name()?.to_str()?;
        classify(path, name).map(|(kind, _)| kind)
    }

    fn some(variant: &str) -> Option<String> {
        Some(variant.to_string())
    }

    #[test]
    fn compose_files() {
        for (path, variant) in [
            ("docker-compose.yml", None),
            ("a/docker-compose.yaml", None),
            ("compose.yaml", None),
            ("compose.yml", None),
            ("docker-compose.override.yml", some("override")),
            ("compose.override.yaml", some("override")),
            ("docker-compose.staging.yml", some("staging")),
            ("docker-compose-dev.yml", some("dev")),
            ("docker-compose.yml.dist", some("dist")),
            ("docker-compose.prod.yml.sample", some("sample")),
        ] {
            assert_eq!(
                kind(path),
                Some(FileKind::DockerCompose { variant }),
                "{path}"
            );
        }
        for path in [
            "compose.json",
            "docker-compose.",
            "my-compose.yml",
            "composer.yaml",
        ] {
            assert_eq!(kind(path), None, "{path}");
        }
    }

    #[test]
    fn env_files() {
        for (path, variant) in [
            (".env", None),
            ("docker/.env", None),
            (".env.staging", some("staging")),
            (".env.local", some("local")),
            (".env.dist", some("dist")),
            ("env/phpfpm.env", some("phpfpm")),
            ("staging.env", some("staging")),
            (".docker.env", some("docker")),
        ] {
            assert_eq!(kind(path), Some(FileKind::DotEnv { variant }), "{path}");
        }
        for path in [
            ".envrc",
            ".env.php",
            ".env.js",
            ".env.",
            ".environment",
            "env",
            "a.envx",
        ] {
            assert_eq!(kind(path), None, "{path}");
        }
    }

    #[test]
    fn nginx_files() {
        for (path, variant) in [
            ("nginx.conf.sample", None),
            ("deploy/nginx.conf", None),
            ("docker/nginx/default.conf", some("default")),
            (".docker/nginx/conf.d/staging.conf", some("staging")),
            ("nginx-conf/shop.conf", some("shop")),
            ("conf/shop.nginx.conf", some("shop")),
            ("shop.nginx", some("shop")),
        ] {
            assert_eq!(kind(path), Some(FileKind::Nginx { variant }), "{path}");
        }
        for path in [
            "apache/site.conf",
            "docker/php/www.conf",
            "nginxish/site.conf",
            "docker/nginx/fastcgi_params",
            "docker/nginx/default.conf.template",
            "supervisord.conf",
        ] {
            assert_eq!(kind(path), None, "{path}");
        }
    }
}
