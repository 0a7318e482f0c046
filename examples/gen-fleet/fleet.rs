//! The deterministic fleet of Magento installations the benchmarks (`gen-fleet`, bench/run.sh)
//! and tests/lean.rs lint.
//!
//! Each installation `OUT/iNNNNN/` gets `app/etc/config.php` (~300 modules, several websites,
//! groups and stores, `system` sections), `app/etc/env.php`, `env.staging.php`,
//! `env.dev.php` (and `env.uat.php` for one in three), `.magento.env.yaml`, `.magento.app.yaml`
//! with `CONFIG__` variables and `composer.json`: ~45 KB per installation on average.
//!
//! Installations are grouped 25 to a SaaS project whose Production data space they share (and
//! its two Testing data spaces: staging; dev and UAT), so the fleet rules see many sites per
//! data space. Planted problems (deterministic):
//! - every 50th installation: staging connected to the Production data space (MS001);
//! - every 37th installation: a website code of its neighbour in the shared data space (MS002);
//! - every 40th installation: a plaintext production API key in env.php (MS008);
//! - every 30th installation: a module written twice in config.php (MG003).
//!
//! Also writes `OUT/php-files.txt`, `OUT/yaml-files.txt` and `OUT/all-files.txt` (the PHP files,
//! the .magento.env.yaml files, every file; one absolute path per line) for bench/run.sh.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

/// SplitMix64: small, seeded, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const GROUP: usize = 25;

const VENDORS: &[&str] = &[
    "Magento",
    "Amasty",
    "Mageplaza",
    "Vertex",
    "Klarna",
    "Yotpo",
    "Dotdigitalgroup",
    "Adobe",
    "PayPal",
    "Acme",
];
const WORDS: &[&str] = &[
    "Catalog",
    "Search",
    "Sales",
    "Quote",
    "Customer",
    "Checkout",
    "Payment",
    "Shipping",
    "Tax",
    "Cms",
    "Theme",
    "Store",
    "Directory",
    "Eav",
    "Indexer",
    "Cron",
    "Email",
    "Newsletter",
    "Review",
    "Wishlist",
    "Reward",
    "Gift",
    "Inventory",
    "Graph",
    "Ql",
    "Import",
    "Export",
    "Security",
    "Captcha",
    "Analytics",
    "Sitemap",
    "Url",
    "Rewrite",
    "Media",
    "Gallery",
    "Swatches",
    "Bundle",
    "Configurable",
    "Downloadable",
    "Grouped",
    "Staging",
    "Segment",
    "Banner",
    "Rule",
];
const SECTIONS: &[&str] = &[
    "general",
    "web",
    "design",
    "catalog",
    "checkout",
    "sales",
    "payment",
    "carriers",
    "tax",
    "customer",
    "currency",
    "dev",
    "admin",
    "cms",
    "contact",
    "sitemap",
    "google",
    "newsletter",
];
const FIELDS: &[&str] = &[
    "active",
    "title",
    "sort_order",
    "enabled",
    "mode",
    "allowspecific",
    "specificcountry",
    "min_order_total",
    "max_order_total",
    "base_url",
    "use_in_frontend",
    "template",
    "timeout",
    "cache_lifetime",
    "default",
    "value",
    "include_in_sitemap",
    "frequency",
    "priority",
];

fn uuid(kind: u32, n: u64) -> String {
    format!("8eb8e3be-{kind:04x}-4dea-8875-{n:012x}")
}

fn project(group: usize) -> String {
    format!("a1b2c3d4-0000-4000-8000-{group:012x}")
}

fn production_space(group: usize) -> String {
    uuid(1, group as u64)
}

/// The project's two Testing data spaces: one for staging, one for dev and UAT.
fn testing_space(group: usize, variant: &str) -> String {
    let n = if variant == "staging" { 1 } else { 2 };
    uuid(0x100 + n, group as u64)
}

struct Installation {
    index: usize,
    websites: Vec<String>,
}

fn website_codes(index: usize, rng: &mut Rng) -> Vec<String> {
    let count = 2 + rng.below(4) as usize; // 2..=5 besides admin
    let mut codes: Vec<String> = (0..count).map(|k| format!("i{index}_w{k}")).collect();
    // Planted: reuse a neighbour's code in the shared data space (MS002).
    if index % 37 == 5 && !index.is_multiple_of(GROUP) {
        codes[1] = format!("i{}_w0", index - 1);
    }
    codes
}

fn config_php(inst: &Installation, rng: &mut Rng) -> String {
    let mut s = String::with_capacity(40_000);
    s.push_str("<?php\nreturn [\n    'modules' => [\n");
    let modules = 280 + rng.below(40) as usize;
    for m in 0..modules {
        let vendor = if m < 200 {
            "Magento"
        } else {
            rng.pick(VENDORS)
        };
        let a = WORDS[m % WORDS.len()];
        let b = WORDS[(m / WORDS.len() + m * 7) % WORDS.len()];
        let on = u8::from(rng.below(10) != 0);
        let _ = writeln!(s, "        '{vendor}_{a}{b}{m}' => {on},");
        // Planted: a module written twice (MG003).
        if inst.index % 30 == 7 && m == 100 {
            let _ = writeln!(s, "        '{vendor}_{a}{b}{m}' => 0,");
        }
    }
    s.push_str(
        "        'Magento_ServicesId' => 1,\n        'Magento_ServicesConnector' => 1\n    ],\n",
    );
    s.push_str("    'scopes' => [\n        'websites' => [\n");
    s.push_str("            'admin' => [\n                'website_id' => '0',\n                'code' => 'admin',\n                'name' => 'Admin',\n                'sort_order' => '0',\n                'default_group_id' => '0',\n                'is_default' => '0'\n            ],\n");
    for (k, code) in inst.websites.iter().enumerate() {
        let id = k + 1;
        let _ = write!(
            s,
            "            '{code}' => [\n                'website_id' => '{id}',\n                'code' => '{code}',\n                'name' => 'Website {code}',\n                'sort_order' => '{}',\n                'default_group_id' => '{id}',\n                'is_default' => '{}'\n            ],\n",
            k * 10,
            u8::from(k == 0)
        );
    }
    s.push_str("        ],\n        'groups' => [\n");
    s.push_str("            [\n                'group_id' => '0',\n                'website_id' => '0',\n                'name' => 'Default',\n                'root_category_id' => '0',\n                'default_store_id' => '0',\n                'code' => 'default'\n            ],\n");
    for k in 0..inst.websites.len() {
        let id = k + 1;
        let _ = write!(
            s,
            "            [\n                'group_id' => '{id}',\n                'website_id' => '{id}',\n                'name' => 'Store group {id}',\n                'root_category_id' => '2',\n                'default_store_id' => '{}',\n                'code' => 'group_{id}'\n            ],\n",
            id * 10
        );
    }
    s.push_str("        ],\n        'stores' => [\n");
    s.push_str("            'admin' => [\n                'store_id' => '0',\n                'code' => 'admin',\n                'website_id' => '0',\n                'group_id' => '0',\n                'name' => 'Admin',\n                'sort_order' => '0',\n                'is_active' => '1'\n            ],\n");
    let mut store_codes = Vec::new();
    for k in 0..inst.websites.len() {
        let id = k + 1;
        for lang in ["en", "fr", "de"].iter().take(1 + rng.below(3) as usize) {
            let code = format!("{}_{lang}", inst.websites[k]);
            let _ = write!(
                s,
                "            '{code}' => [\n                'store_id' => '{}',\n                'code' => '{code}',\n                'website_id' => '{id}',\n                'group_id' => '{id}',\n                'name' => 'Store {lang} \\'{id}\\'',\n                'sort_order' => '0',\n                'is_active' => '1'\n            ],\n",
                id * 10 + store_codes.len()
            );
            store_codes.push(code);
        }
    }
    s.push_str("        ]\n    ],\n    'system' => [\n        'default' => [\n");
    let sections = 7 + rng.below(4) as usize;
    for n in 0..sections {
        system_section(&mut s, SECTIONS[n % SECTIONS.len()], n, 3, rng);
    }
    s.push_str("        ],\n        'websites' => [\n");
    for code in &inst.websites {
        let _ = writeln!(s, "            '{code}' => [");
        for n in 0..2 {
            system_section(&mut s, SECTIONS[(n * 5 + 1) % SECTIONS.len()], n, 4, rng);
        }
        s.push_str("            ],\n");
    }
    s.push_str("        ],\n        'stores' => [\n");
    for code in store_codes.iter().take(4) {
        let _ = writeln!(
            s,
            "            '{code}' => [\n                'design' => [\n                    'theme' => ['theme_id' => 'frontend/Acme/{code}'],\n                    'head' => ['default_title' => \"Acme \\\"{code}\\\"\"]\n                ]\n            ],"
        );
    }
    s.push_str("        ]\n    ]\n];\n");
    s
}

fn system_section(s: &mut String, name: &str, n: usize, depth: usize, rng: &mut Rng) {
    let pad = "    ".repeat(depth);
    let _ = writeln!(s, "{pad}'{name}' => [");
    for g in 0..(2 + rng.below(3)) {
        let _ = writeln!(s, "{pad}    'group_{n}_{g}' => [");
        for f in 0..(3 + rng.below(4)) {
            let field = FIELDS[((n as u64 * 7 + g * 3 + f) % FIELDS.len() as u64) as usize];
            let value = match rng.below(5) {
                0 => "'1'".to_string(),
                1 => "'0'".to_string(),
                2 => "null".to_string(),
                3 => format!("'{}'", rng.below(100_000)),
                _ => format!("'https://shop{}.example.com/{field}/'", rng.below(1000)),
            };
            let _ = writeln!(s, "{pad}        '{field}_{f}' => {value},");
        }
        let _ = writeln!(s, "{pad}    ],");
    }
    let _ = writeln!(s, "{pad}],");
}

fn env_php(inst: &Installation, variant: Option<&str>, rng: &mut Rng) -> String {
    let group = inst.index / GROUP;
    let (space, kind, mode) = match variant {
        None => (production_space(group), "Production", "production"),
        // Planted: a staging copy of production still on the Production data space (MS001).
        Some("staging") if inst.index % 50 == 3 => {
            (production_space(group), "Production", "production")
        }
        Some(v) => (
            testing_space(group, v),
            "Testing",
            if v == "dev" {
                "developer"
            } else {
                "production"
            },
        ),
    };
    let host = match variant {
        None => format!("www.shop{}.example.com", inst.index),
        Some(v) => format!("{v}.shop{}.example.com", inst.index),
    };
    let mut s = String::with_capacity(3000);
    let _ = write!(
        s,
        "<?php\nreturn [\n    'backend' => [\n        'frontName' => 'admin_{}'\n    ],\n    'crypt' => [\n        'key' => getenv('MAGENTO_CRYPT_KEY')\n    ],\n",
        rng.below(1 << 20)
    );
    let _ = write!(
        s,
        "    'db' => [\n        'table_prefix' => '',\n        'connection' => [\n            'default' => [\n                'host' => 'database.internal',\n                'dbname' => 'main',\n                'username' => 'user',\n                'password' => getenv('DB_PASSWORD'),\n                'model' => 'mysql4',\n                'engine' => 'innodb',\n                'initStatements' => 'SET NAMES utf8;',\n                'active' => '1',\n                'driver_options' => [\n                    1014 => false\n                ]\n            ]\n        ]\n    ],\n"
    );
    s.push_str("    'resource' => [\n        'default_setup' => [\n            'connection' => 'default'\n        ]\n    ],\n    'x-frame-options' => 'SAMEORIGIN',\n");
    let _ = write!(
        s,
        "    'MAGE_MODE' => '{mode}',\n    'session' => [\n        'save' => 'redis',\n        'redis' => [\n            'host' => 'redis.internal',\n            'port' => '6379',\n            'database' => '0',\n            'timeout' => '2.5',\n            'compression_threshold' => '2048',\n            'max_concurrency' => '6'\n        ]\n    ],\n"
    );
    s.push_str("    'cache' => [\n        'frontend' => [\n            'default' => [\n                'backend' => 'Magento\\\\Framework\\\\Cache\\\\Backend\\\\Redis',\n                'backend_options' => [\n                    'server' => 'redis.internal',\n                    'database' => '1',\n                    'port' => '6379'\n                ]\n            ],\n            'page_cache' => [\n                'backend' => 'Magento\\\\Framework\\\\Cache\\\\Backend\\\\Redis',\n                'backend_options' => [\n                    'server' => 'redis.internal',\n                    'database' => '2',\n                    'port' => '6379',\n                    'compress_data' => '0'\n                ]\n            ]\n        ],\n        'allow_parallel_generation' => false\n    ],\n");
    s.push_str("    'cache_types' => [\n");
    for t in [
        "config",
        "layout",
        "block_html",
        "collections",
        "reflection",
        "db_ddl",
        "compiled_config",
        "eav",
        "customer_notification",
        "config_integration",
        "config_integration_api",
        "full_page",
        "config_webservice",
        "translate",
    ] {
        let _ = writeln!(s, "        '{t}' => 1,");
    }
    s.push_str(
        "    ],\n    'install' => [\n        'date' => 'Mon, 01 Jan 2024 00:00:00 +0000'\n    ],\n",
    );
    let _ = write!(
        s,
        "    'system' => [\n        'default' => [\n            'web' => [\n                'secure' => [\n                    'base_url' => 'https://{host}/'\n                ],\n                'unsecure' => [\n                    'base_url' => 'https://{host}/'\n                ]\n            ],\n            'magento_saas' => [\n                'environment' => '{}'\n            ],\n            'services_connector' => [\n",
        if kind == "Production" {
            "production"
        } else {
            "sandbox"
        }
    );
    // Planted: a plaintext production API key committed in env.php (MS008).
    if variant.is_none() && inst.index % 40 == 11 {
        let _ = writeln!(
            s,
            "                'services_connector_integration' => [\n                    'production_api_key' => '{:016x}{:016x}'\n                ],",
            rng.next(),
            rng.next()
        );
    }
    let _ = write!(
        s,
        "                'services_id' => [\n                    'project_id' => '{}',\n                    'environment_id' => '{space}',\n                    'environment' => '{kind}',\n                    'environment_name' => '{kind} {}'\n                ]\n            ]\n        ]\n    ]\n];\n",
        project(group),
        inst.index
    );
    s
}

fn env_yaml(inst: &Installation) -> String {
    format!(
        "stage:\n  global:\n    SCD_ON_DEMAND: false\n    SKIP_HTML_MINIFICATION: true\n  build:\n    SCD_STRATEGY: compact\n    SCD_THREADS: {}\n    SCD_COMPRESSION_LEVEL: {}\n  deploy:\n    REDIS_BACKEND: '\\Magento\\Framework\\Cache\\Backend\\RemoteSynchronizedCache'\n    MYSQL_USE_SLAVE_CONNECTION: true\n    CRON_CONSUMERS_RUNNER:\n      cron_run: true\n      max_messages: {}\n  post-deploy:\n    WARM_UP_PAGES:\n      - \"index.php\"\nlog:\n  gelf:\n    min_level: \"info\"\n    use_default_formatter: true\n",
        1 + inst.index % 4,
        inst.index % 10,
        1000 + inst.index
    )
}

fn app_yaml(inst: &Installation) -> String {
    let mut s = format!(
        "name: shop{}\ntype: php:8.3\nbuild:\n  flavor: none\ndependencies:\n  php:\n    composer/composer: '2.7.2'\nrelationships:\n  database: \"mysql:mysql\"\n  opensearch: \"opensearch:opensearch\"\n  redis: \"redis:redis\"\nweb:\n  locations:\n    \"/\":\n      root: \"pub\"\n      passthru: \"/index.php\"\n      index:\n        - index.php\ndisk: 5120\nmounts:\n  \"var\": \"shared:files/var\"\n  \"app/etc\": \"shared:files/etc\"\n  \"pub/media\": \"shared:files/media\"\n  \"pub/static\": \"shared:files/static\"\nhooks:\n  build: |\n    set -e\n    php ./vendor/bin/ece-tools run scenario/build/generate.xml\n    php ./vendor/bin/ece-tools run scenario/build/transfer.xml\n  deploy: |\n    php ./vendor/bin/ece-tools run scenario/deploy.xml\n  post_deploy: |\n    php ./vendor/bin/ece-tools run scenario/post-deploy.xml\ncrons:\n  magento:\n    spec: \"* * * * *\"\n    cmd: \"php bin/magento cron:run\"\nvariables:\n  env:\n    CONFIG__DEFAULT__PAYPAL_ONBOARDING__MIDDLEMAN_DOMAIN: 'payment-broker.magento.com'\n",
        inst.index
    );
    let _ = writeln!(
        s,
        "    CONFIG__DEFAULT__GENERAL__LOCALE__CODE: 'en_GB'\n    CONFIG__WEBSITES__{}__WEB__SECURE__USE_IN_FRONTEND: '1'",
        inst.websites[0].to_uppercase()
    );
    s
}

fn composer_json(inst: &Installation) -> String {
    format!(
        "{{\n    \"name\": \"acme/shop{}\",\n    \"description\": \"Shop {} (Adobe Commerce on Cloud)\",\n    \"type\": \"project\",\n    \"require\": {{\n        \"magento/magento-cloud-metapackage\": \">=2.4.8 <2.4.9\"\n    }},\n    \"config\": {{\n        \"sort-packages\": true\n    }}\n}}\n",
        inst.index, inst.index
    )
}

fn write(path: &Path, text: &str, bytes: &mut usize, list: &mut String) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)?;
    *bytes += text.len();
    let _ = writeln!(list, "{}", path.display());
    Ok(())
}

/// What [`generate`] wrote.
pub struct Summary {
    /// The canonical output directory.
    pub out: PathBuf,
    pub files: usize,
    pub bytes: usize,
}

/// Writes `n` installations under `out` (created if missing), the same files for the same seed.
pub fn generate(out: &Path, n: usize, seed: u64) -> io::Result<Summary> {
    std::fs::create_dir_all(out)?;
    let out = std::fs::canonicalize(out)?;
    let mut rng = Rng(seed);
    let mut bytes = 0;
    let mut files = 0;
    let mut php_list = String::new();
    let mut yaml_list = String::new();
    let mut all_list = String::new();
    for index in 0..n {
        let websites = website_codes(index, &mut rng);
        let inst = Installation { index, websites };
        let dir = out.join(format!("i{index:05}"));
        let etc = dir.join("app/etc");
        let mut php = vec![(etc.join("config.php"), config_php(&inst, &mut rng))];
        php.push((etc.join("env.php"), env_php(&inst, None, &mut rng)));
        let mut variants = vec!["staging", "dev"];
        if index % 3 == 0 {
            variants.push("uat");
        }
        for v in variants {
            php.push((
                etc.join(format!("env.{v}.php")),
                env_php(&inst, Some(v), &mut rng),
            ));
        }
        for (path, text) in &php {
            write(path, text, &mut bytes, &mut all_list)?;
            let _ = writeln!(php_list, "{}", path.display());
        }
        let yaml = dir.join(".magento.env.yaml");
        write(&yaml, &env_yaml(&inst), &mut bytes, &mut all_list)?;
        let _ = writeln!(yaml_list, "{}", yaml.display());
        write(
            &dir.join(".magento.app.yaml"),
            &app_yaml(&inst),
            &mut bytes,
            &mut all_list,
        )?;
        write(
            &dir.join("composer.json"),
            &composer_json(&inst),
            &mut bytes,
            &mut all_list,
        )?;
        files += php.len() + 3;
    }
    std::fs::write(out.join("php-files.txt"), php_list)?;
    std::fs::write(out.join("yaml-files.txt"), yaml_list)?;
    std::fs::write(out.join("all-files.txt"), all_list)?;
    Ok(Summary { out, files, bytes })
}
