//! The addresses colleagues type into their browsers: printed at start and
//! shown to admins, because nobody in a small office knows the machine's IP.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The URLs other machines on the LAN can open, for a server listening on
/// `listen`. A wildcard listen address is reachable on every interface, so
/// each usable IPv4 address of the machine gives one URL; loopback and
/// link-local (169.254/16, what a machine without DHCP gives itself)
/// addresses are useless to colleagues and left out.
pub fn staff_urls(listen: SocketAddr, interfaces: &[IpAddr]) -> Vec<String> {
    let port = listen.port();
    let mut ips: Vec<Ipv4Addr> = match listen.ip() {
        ip if ip.is_unspecified() => interfaces
            .iter()
            .filter_map(|ip| match ip {
                IpAddr::V4(v4) => Some(*v4),
                IpAddr::V6(_) => None,
            })
            .filter(|ip| usable_by_colleagues(*ip))
            .collect(),
        IpAddr::V4(v4) if usable_by_colleagues(v4) => vec![v4],
        IpAddr::V6(v6) if !v6.is_loopback() => return vec![format!("http://[{v6}]:{port}")],
        _ => Vec::new(),
    };
    ips.sort();
    ips.dedup();
    ips.into_iter()
        .map(|ip| format!("http://{ip}:{port}"))
        .collect()
}

/// The URL for a browser on this machine itself.
pub fn local_url(listen: SocketAddr) -> String {
    match listen.ip() {
        ip if ip.is_unspecified() || ip.is_loopback() => {
            format!("http://localhost:{}", listen.port())
        }
        IpAddr::V4(ip) => format!("http://{ip}:{}", listen.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}", listen.port()),
    }
}

fn usable_by_colleagues(ip: Ipv4Addr) -> bool {
    !(ip.is_loopback() || ip.is_link_local() || ip.is_unspecified() || ip.is_broadcast())
}

/// This machine's interface addresses; none when the OS will not say.
pub fn interface_addresses() -> Vec<IpAddr> {
    match if_addrs::get_if_addrs() {
        Ok(interfaces) => interfaces.into_iter().map(|i| i.ip()).collect(),
        Err(e) => {
            tracing::warn!(error = %e, "cannot list this machine's network addresses");
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ips(list: &[&str]) -> Vec<IpAddr> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn wildcard_lists_every_lan_address_but_loopback_and_link_local() {
        let interfaces = ips(&[
            "127.0.0.1",
            "192.168.1.20",
            "169.254.3.7",
            "10.0.0.5",
            "::1",
            "fe80::1",
            "192.168.1.20",
        ]);
        assert_eq!(
            staff_urls("0.0.0.0:8080".parse().unwrap(), &interfaces),
            ["http://10.0.0.5:8080", "http://192.168.1.20:8080"]
        );
    }

    #[test]
    fn a_specific_address_is_the_only_one() {
        let interfaces = ips(&["192.168.1.20", "10.0.0.5"]);
        assert_eq!(
            staff_urls("10.0.0.5:9000".parse().unwrap(), &interfaces),
            ["http://10.0.0.5:9000"]
        );
    }

    #[test]
    fn loopback_only_is_unreachable_for_colleagues() {
        let interfaces = ips(&["192.168.1.20"]);
        assert!(staff_urls("127.0.0.1:8080".parse().unwrap(), &interfaces).is_empty());
        assert!(staff_urls("[::1]:8080".parse().unwrap(), &interfaces).is_empty());
    }

    #[test]
    fn no_network_gives_no_urls() {
        assert!(staff_urls("0.0.0.0:8080".parse().unwrap(), &ips(&["127.0.0.1"])).is_empty());
    }

    #[test]
    fn local_url_uses_localhost_for_wildcards() {
        assert_eq!(
            local_url("0.0.0.0:8080".parse().unwrap()),
            "http://localhost:8080"
        );
        assert_eq!(
            local_url("192.168.1.20:80".parse().unwrap()),
            "http://192.168.1.20:80"
        );
    }
}
