use super::*;

fn yes(version: &str, constraint: &str) {
    assert_eq!(
        Constraint::satisfies(version, constraint),
        Some(true),
        "{version} should satisfy {constraint}"
    );
}

fn no(version: &str, constraint: &str) {
    assert_eq!(
        Constraint::satisfies(version, constraint),
        Some(false),
        "{version} should not satisfy {constraint}"
    );
}

#[test]
fn patch_releases_sit_after_their_version_and_before_the_next() {
    let v = |t: &str| Version::parse(t).expect(t);
    assert!(v("2.4.7") < v("2.4.7-p1"));
    assert!(v("2.4.7-p1") < v("2.4.7-p10"));
    assert!(v("2.4.7-p9") < v("2.4.8"));
    assert!(v("2.4.8-beta1") < v("2.4.8"));
    assert!(v("2.4.8-alpha3") < v("2.4.8-beta1"));
    assert!(v("2.4.8-beta2") < v("2.4.8-RC1"));
    assert!(v("2.4.8-dev") < v("2.4.8-alpha1"));
    assert!(v("1.0.0-beta1-dev") < v("1.0.0-beta1"));
    assert_eq!(v("v2.4"), v("2.4.0.0"));
    assert_eq!(v("2.4.7-p3"), v("2.4.7.0-patch3"));
    assert_eq!(v("2.4.7-pl3"), v("2.4.7-p3"));
    assert_eq!(v("1.0.0-stable"), v("1.0.0"));
    assert_eq!(v("1.0.0+build.5"), v("1.0.0"));
    assert!(Version::parse("dev-main").is_none());
    assert!(Version::parse("2.4.x-dev").is_none());
    assert!(Version::parse("20230101").is_none());
    assert!(Version::parse("latest").is_none());
}

/// The Magento ranges of ece-tools' compatibility table.
#[test]
fn magento_ranges_read_as_composer_reads_them() {
    yes("2.4.6", ">=2.4.6");
    yes("2.4.6-p3", ">=2.4.6");
    yes("2.4.6-beta1", ">=2.4.6");
    no("2.4.5-p9", ">=2.4.6");
    no("2.4.6", ">=2.4.4 <2.4.6");
    no("2.4.6-p1", ">=2.4.4 <2.4.6");
    yes("2.4.5-p9", ">=2.4.4 <2.4.6");
    yes("2.4.3-p2", ">=2.3.7-p3 <2.4.0 || >=2.4.3-p2 <2.4.6");
    no("2.4.3-p1", ">=2.3.7-p3 <2.4.0 || >=2.4.3-p2 <2.4.6");
    yes("2.3.7-p4", "~2.3.7-p4");
    yes("2.3.8", "~2.3.7-p4");
    no("2.3.7-p3", "~2.3.7-p4");
    no("2.4.0", "~2.3.7-p4");
    yes("2.3.0", ">=2.2.0 <2.2.8 || 2.3.0");
    no("2.3.0-p1", ">=2.2.0 <2.2.8 || 2.3.0");
    yes("2.2.4", "<=2.2.4");
    no("2.2.4-p1", "<=2.2.4");
    yes("2.3.1", ">2.3.0");
    no("2.3.0", ">2.3.0");
    yes("2.0.0", "*");
    yes("2.4.4-p1", "2.4.*");
    no("2.5.0", "2.4.*");
}

/// The service ranges of ece-tools' compatibility table and PHP requirements.
#[test]
fn service_ranges_read_as_composer_reads_them() {
    yes("10.6", ">=10.6 <10.7");
    no("10.11", ">=10.6 <10.7");
    yes(
        "7.0",
        "~3.2.0 || ~4.0.0 || ~5.0.0 || ~6.0.0 || ~6.2.0 || ~7.0.0",
    );
    no(
        "7.2",
        "~3.2.0 || ~4.0.0 || ~5.0.0 || ~6.0.0 || ~6.2.0 || ~7.0.0",
    );
    yes("1.2", "~1.1.0 || 1.2.*");
    no("2", "~1.1.0 || 1.2.*");
    yes("2", "^2");
    yes("2.11", "^2");
    no("3", "^2");
    yes("1.21", "^1.9.0");
    no("1.8", "^1.9.0");
    yes("0.3.5", "^0.3");
    no("0.4.0", "^0.3");
    yes("8.1.27", "~7.4.0||~8.1.0");
    no("8.2.0", "~7.4.0||~8.1.0");
    yes("7.4.33", "~7.3.0|~7.4.0");
    yes("8.3.1", ">=7.4, <9");
    yes("8.3.1", ">= 7.4 < 9");
    no("9.0.0", ">= 7.4 < 9");
    yes("5.0", "~5.0");
    yes("5.9", "~5.0");
    no("6.0", "~5.0");
    yes("7.2.1", "7.1 - 7.3");
    no("7.4.0", "7.1 - 7.3");
    yes("7.3.5", "7.1.0 - 7.3.5");
    no("7.3.6", "7.1.0 - 7.3.5");
    yes("8.1.0", "8.1.x");
    yes("1.0.0", "!=2.0");
    yes("8.2.0", "^8.1@dev");
}

#[test]
fn unreadable_constraints_and_versions_are_none() {
    assert_eq!(Constraint::satisfies("8.1", "dev-main"), None);
    assert_eq!(Constraint::satisfies("8.1", "~>1.0"), None);
    assert_eq!(Constraint::satisfies("8.1", ""), None);
    assert_eq!(Constraint::satisfies("8.1", "foo"), None);
    assert_eq!(Constraint::satisfies("latest", ">=1"), None);
}

/// Magento versions as ece-tools compares them (`Comparator`) and as constraints take them.
#[test]
fn magento_versions_compare_and_satisfy_like_composer() {
    let v = |t: &str| Version::parse(t).expect(t);
    assert!(v("2.4.3-p2") > v("2.4.3") && v("2.4.3-p2") < v("2.4.4"));
    assert!(v("2.4.0-RC2") > v("2.4.0-beta9"));
    assert_eq!(v("2.4.7-patch3"), v("2.4.7-p3"));
    assert!(v("2.4.10") > v("2.4.9"));
    assert!(v("2.3.7-p3").at_least("2.3.7-p3") && v("2.3.7-p3").before("2.4.0"));
    assert!(!v("2.3.7-p3").at_least("not a version") && !v("2.3.7").before("x"));
    assert!(v("2.1.18").in_series(2, 1) && !v("2.2.0").in_series(2, 1));
    // A constraint reads a bare lower bound as `-dev`, a comparison does not.
    assert!(v("2.4.0-beta1").satisfies(">=2.4.0") && !v("2.4.0-beta1").at_least("2.4.0"));
    assert!(!v("2.5.0-beta1").satisfies("<2.5.0") && v("2.5.0-beta1").before("2.5.0"));
    assert!(!v("2.4.0").satisfies("dev-main"));
    assert_eq!(v(" v2.4.7-p3 ").text, "v2.4.7-p3");
    for bad in [
        "dev-main",
        "2.4.x-dev",
        "",
        "2..4",
        "2.4.7-foo",
        "1.2.3.4.5",
    ] {
        assert!(Version::parse(bad).is_none(), "{bad}");
    }
}
