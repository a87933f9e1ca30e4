//! The Service view: its ports and cluster IP, as backendRefs and mesh parentRefs use them,
//! and the protocols its ports declare (`appProtocol`), which conformance features name.

use serde_json::Value;

use super::{arr, int, s};
use crate::model::Object;

/// A Service's ports.
#[derive(Debug, Clone)]
pub struct ServiceData {
    /// (port, name)
    pub ports: Vec<(i64, Option<String>)>,
    pub cluster_ip: Option<String>,
    /// (port, appProtocol) of the ports that declare one; most declare none.
    pub app_protocols: Vec<(i64, Box<str>)>,
}

impl ServiceData {
    pub fn read(object: &Object) -> Self {
        let spec = object.json.get("spec").unwrap_or(&Value::Null);
        ServiceData {
            ports: arr(spec, "ports")
                .iter()
                .filter_map(|p| int(p, "port").map(|n| (n, s(p, "name").map(str::to_owned))))
                .collect(),
            cluster_ip: s(spec, "clusterIP").map(str::to_owned),
            app_protocols: arr(spec, "ports")
                .iter()
                .filter_map(|p| Some((int(p, "port")?, Box::from(s(p, "appProtocol")?))))
                .collect(),
        }
    }

    /// The `appProtocol` port `port` declares, if any.
    pub fn app_protocol(&self, port: i64) -> Option<&str> {
        self.app_protocols
            .iter()
            .find(|(p, _)| *p == port)
            .map(|(_, a)| &**a)
    }

    pub fn has_port(&self, port: i64) -> bool {
        self.ports.iter().any(|(p, _)| *p == port)
    }

    pub fn port_list(&self) -> String {
        if self.ports.is_empty() {
            return "no ports".into();
        }
        self.ports
            .iter()
            .map(|(p, _)| p.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
