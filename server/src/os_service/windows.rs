//! The Windows service: registered with the service manager to start with
//! the machine and restart after a crash. The service manager starts
//! `guanxi.exe service run …`, which hands control to it and serves until
//! it asks for a stop.

use std::ffi::OsString;
use std::sync::Arc;
use std::time::{Duration, Instant};

use windows_service::service::{
    ServiceAccess, ServiceAction, ServiceActionType, ServiceControl, ServiceControlAccept,
    ServiceErrorControl, ServiceExitCode, ServiceFailureActions, ServiceFailureResetPeriod,
    ServiceInfo, ServiceStartType, ServiceState, ServiceStatus, ServiceType,
};
use windows_service::service_control_handler::{self, ServiceControlHandlerResult};
use windows_service::service_manager::{ServiceManager, ServiceManagerAccess};
use windows_service::{define_windows_service, service_dispatcher};

use super::{Installation, NAME, State};

const ERROR_SERVICE_DOES_NOT_EXIST: i32 = 1060;

fn manager(access: ServiceManagerAccess) -> Result<ServiceManager, String> {
    ServiceManager::local_computer(None::<&str>, access).map_err(|e| {
        format!("cannot reach the Windows service manager: {e} (run this as administrator)")
    })
}

pub fn install(installation: &Installation) -> Result<(), String> {
    let manager = manager(ServiceManagerAccess::CONNECT | ServiceManagerAccess::CREATE_SERVICE)?;
    let info = ServiceInfo {
        name: OsString::from(NAME),
        display_name: OsString::from("Guanxi CRM"),
        service_type: ServiceType::OWN_PROCESS,
        start_type: ServiceStartType::AutoStart,
        error_control: ServiceErrorControl::Normal,
        executable_path: installation.exe.clone(),
        launch_arguments: [OsString::from("service"), OsString::from("run")]
            .into_iter()
            .chain(
                installation
                    .serve_args()
                    .iter()
                    .map(|arg| arg.to_os_string()),
            )
            .collect(),
        dependencies: vec![],
        account_name: None,
        account_password: None,
    };
    let service = manager
        .create_service(
            &info,
            ServiceAccess::CHANGE_CONFIG
                | ServiceAccess::START
                | ServiceAccess::QUERY_STATUS
                | ServiceAccess::DELETE,
        )
        .map_err(|e| format!("cannot register the service: {e}"))?;
    // A service that is registered but cannot restart or start is worse
    // than none: take it away again and say why.
    if let Err(e) = configure_and_start(&service) {
        let _ = service.delete();
        return Err(e);
    }
    println!(
        "installed the Windows service \"{NAME}\": Guanxi now starts with this computer (data {}, listening on {})",
        installation.data_dir.display(),
        installation.listen
    );
    Ok(())
}

fn configure_and_start(service: &windows_service::service::Service) -> Result<(), String> {
    let _ = service.set_description("Guanxi CRM: the office's customer-relationship server");
    let restart = |secs| ServiceAction {
        action_type: ServiceActionType::Restart,
        delay: Duration::from_secs(secs),
    };
    service
        .update_failure_actions(ServiceFailureActions {
            reset_period: ServiceFailureResetPeriod::After(Duration::from_secs(24 * 60 * 60)),
            reboot_msg: None,
            command: None,
            actions: Some(vec![restart(5), restart(30), restart(60)]),
        })
        .map_err(|e| format!("cannot set the service to restart after a crash: {e}"))?;
    // A server that stops with an error (its data folder unreadable, say) is
    // restarted too, not only one that crashed. Older service managers (and
    // Wine) lack the setting; a crash still restarts it there.
    if let Err(e) = service.set_failure_actions_on_non_crash_failures(true) {
        tracing::warn!(error = %e, "the service will restart after crashes only");
    }
    service
        .start::<&str>(&[])
        .map_err(|e| format!("the service did not start: {e}"))?;
    wait_for(service, ServiceState::Running)
}

pub fn uninstall() -> Result<(), String> {
    let manager = manager(ServiceManagerAccess::CONNECT)?;
    let service = manager
        .open_service(
            NAME,
            ServiceAccess::QUERY_STATUS | ServiceAccess::STOP | ServiceAccess::DELETE,
        )
        .map_err(not_installed_or)?;
    if !matches!(service.query_status(), Ok(s) if s.current_state == ServiceState::Stopped) {
        let _ = service.stop();
        wait_for(&service, ServiceState::Stopped)?;
    }
    service
        .delete()
        .map_err(|e| format!("cannot remove the service: {e}"))?;
    println!("removed the Windows service \"{NAME}\"; the data folder is untouched");
    Ok(())
}

pub fn state() -> Result<State, String> {
    let manager = manager(ServiceManagerAccess::CONNECT)?;
    let service = match manager.open_service(NAME, ServiceAccess::QUERY_STATUS) {
        Ok(service) => service,
        Err(windows_service::Error::Winapi(e))
            if e.raw_os_error() == Some(ERROR_SERVICE_DOES_NOT_EXIST) =>
        {
            return Ok(State::NotInstalled);
        }
        Err(e) => return Err(format!("cannot query the service: {e}")),
    };
    let status = service
        .query_status()
        .map_err(|e| format!("cannot query the service: {e}"))?;
    Ok(match status.current_state {
        ServiceState::Running => State::Running,
        ServiceState::Stopped => State::Stopped,
        _ => State::Other,
    })
}

pub fn start() -> Result<(), String> {
    let manager = manager(ServiceManagerAccess::CONNECT)?;
    let service = manager
        .open_service(NAME, ServiceAccess::START | ServiceAccess::QUERY_STATUS)
        .map_err(not_installed_or)?;
    service
        .start::<&str>(&[])
        .map_err(|e| format!("cannot start the service: {e}"))?;
    wait_for(&service, ServiceState::Running)
}

pub fn stop() -> Result<(), String> {
    let manager = manager(ServiceManagerAccess::CONNECT)?;
    let service = manager
        .open_service(NAME, ServiceAccess::STOP | ServiceAccess::QUERY_STATUS)
        .map_err(not_installed_or)?;
    service
        .stop()
        .map_err(|e| format!("cannot stop the service: {e}"))?;
    wait_for(&service, ServiceState::Stopped)
}

fn wait_for(
    service: &windows_service::service::Service,
    wanted: ServiceState,
) -> Result<(), String> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        match service.query_status() {
            Ok(status) if status.current_state == wanted => return Ok(()),
            Ok(_) => std::thread::sleep(Duration::from_millis(250)),
            Err(e) => return Err(format!("cannot query the service: {e}")),
        }
    }
    Err(format!(
        "the service did not reach {wanted:?} within a minute"
    ))
}

fn not_installed_or(e: windows_service::Error) -> String {
    match &e {
        windows_service::Error::Winapi(io)
            if io.raw_os_error() == Some(ERROR_SERVICE_DOES_NOT_EXIST) =>
        {
            "no Guanxi service is installed".to_string()
        }
        _ => format!("cannot open the service: {e}"),
    }
}

/// `guanxi service run`: what the service manager starts. Serves until the
/// manager asks for a stop, then shuts down gracefully.
pub fn run_as_service(installation: Installation) -> Result<(), String> {
    *SERVICE_ARGS.lock().unwrap() = Some(installation);
    service_dispatcher::start(NAME, ffi_service_main).map_err(|e| {
        format!("`guanxi service run` is started by the Windows service manager, not by hand ({e})")
    })
}

static SERVICE_ARGS: std::sync::Mutex<Option<Installation>> = std::sync::Mutex::new(None);

define_windows_service!(ffi_service_main, service_main);

fn service_main(_arguments: Vec<OsString>) {
    let Some(installation) = SERVICE_ARGS.lock().unwrap().take() else {
        return;
    };
    if let Err(e) = serve_under_manager(installation) {
        tracing::error!(error = %e, "the service stopped with an error");
    }
}

fn serve_under_manager(installation: Installation) -> Result<(), String> {
    let stop = Arc::new(tokio::sync::Notify::new());
    let on_stop = stop.clone();
    let handler = move |control| match control {
        ServiceControl::Stop | ServiceControl::Shutdown => {
            on_stop.notify_one();
            ServiceControlHandlerResult::NoError
        }
        ServiceControl::Interrogate => ServiceControlHandlerResult::NoError,
        _ => ServiceControlHandlerResult::NotImplemented,
    };
    let status = service_control_handler::register(NAME, handler)
        .map_err(|e| format!("cannot register with the service manager: {e}"))?;
    let report = |state, accept, code| {
        let _ = status.set_service_status(ServiceStatus {
            service_type: ServiceType::OWN_PROCESS,
            current_state: state,
            controls_accepted: accept,
            exit_code: ServiceExitCode::Win32(code),
            checkpoint: 0,
            wait_hint: Duration::from_secs(30),
            process_id: None,
        });
    };
    report(
        ServiceState::Running,
        ServiceControlAccept::STOP | ServiceControlAccept::SHUTDOWN,
        0,
    );
    let options = crate::serve::ServeOptions {
        stop: Some(stop),
        ..installation.serve_options()
    };
    let result = crate::serve::run(installation.data_dir, installation.listen, options);
    // ERROR_SERVICE_SPECIFIC_ERROR-like non-zero code: the manager counts it
    // as a failure and applies the restart actions.
    let code = if result.is_ok() { 0 } else { 1 };
    report(ServiceState::Stopped, ServiceControlAccept::empty(), code);
    result
}
