pub fn run(_root: &std::path::Path, _version: Option<&str>) -> Result<(), String> {
    Err("not yet".into())
}
