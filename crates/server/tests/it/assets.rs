//! Every embedded asset is served, with its content type, from a real listener.

use crate::common::{spawn_server, state};

#[test]
fn every_embedded_asset_is_served() {
    let addr = spawn_server(state());
    for (path, ct, body) in casus_server::ASSETS {
        let mut res = ureq::get(&format!("http://{addr}{path}")).call().unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let got_ct = res
            .headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert_eq!(&got_ct, ct, "{path}");
        assert!(res.headers().get("content-security-policy").is_some());
        let text = res.body_mut().read_to_string().unwrap();
        assert_eq!(&text, body, "{path}");
    }
}

#[test]
fn the_page_references_only_embedded_assets() {
    let html = casus_server::ASSETS[0].2;
    for part in html
        .split("src=\"")
        .skip(1)
        .chain(html.split("href=\"").skip(1))
    {
        let url = part.split('"').next().unwrap();
        if url.starts_with('#') {
            continue;
        }
        assert!(
            casus_server::ASSETS.iter().any(|(p, _, _)| *p == url),
            "index.html refers to {url}, which is not embedded"
        );
    }
    for (path, _, body) in casus_server::ASSETS {
        // The only URL allowed is the SVG namespace name, which is never fetched.
        let rest = body.replace("http://www.w3.org/2000/svg", "");
        assert!(
            !rest.contains("http://") && !rest.contains("https://"),
            "{path} refers to the network"
        );
    }
}
