import type { Catalog } from './en';

/** Las palabras de las páginas de error (`errors.<id>`), en español. */
export const esErrors: Catalog['errors'] = {
  title: 'Error',
  whatToDo: 'Qué hacer',
  reference: 'Error <code>{{id}}</code> (HTTP {{status}}), solicitud <code>{{request}}</code>.',
  referenceNoRequest: 'Error <code>{{id}}</code> (HTTP {{status}}).',
  meeting_daily_limit: {
    title: 'Se alcanzó el límite diario de Zoom para este anfitrión',
    detail:
      'Zoom permite 100 cambios de clases por anfitrión y por día, y este anfitrión ya los hizo todos hoy.',
    next: 'Inténtalo de nuevo después del {{reset}}, cuando Zoom vuelve a empezar a contar.',
  },
  zoom_account_daily_limit: {
    title: 'La cuenta de Zoom de la escuela alcanzó su límite diario',
    detail:
      'Zoom limita cuántas solicitudes de este tipo hace por día toda la cuenta de Zoom de la escuela, y la cuenta ya las hizo todas hoy. No es el límite propio de este anfitrión: todos los docentes de la escuela esperan hasta entonces.',
    next: 'Inténtalo de nuevo después del {{reset}}, cuando Zoom vuelve a empezar a contar. Si pasa a menudo, avisa al administrador de Zoom de la escuela (el plan de la cuenta fija el límite).',
  },
  database_unavailable: {
    title: 'La base de datos de la herramienta no respondió',
    detail:
      'La herramienta perdió por un momento la conexión con su base de datos (un reinicio o un cambio de servidor), así que esta solicitud no se completó.',
    next: 'Inténtalo de nuevo en un minuto: la herramienta se vuelve a conectar sola. Si sigue pasando, avisa a tu administrador.',
  },
  zoom_busy: {
    title: 'Zoom está ocupado',
    detail: 'Zoom pidió a la herramienta que vaya más despacio, así que no se programó ni cambió nada.',
    next: 'Inténtalo de nuevo en un minuto; nada quedó a medias.',
  },
  meeting_refused: {
    title: 'Zoom rechazó la clase',
    detail: 'Zoom dijo: {{message}}',
    next: 'Corrige la clase e inténtalo de nuevo.',
  },
  meeting_host_not_ready: {
    title: 'Tu usuario de Zoom no está listo',
    detail: 'Las clases se programan con tu propio usuario de Zoom, que aún no está activo.',
    next: 'Mira el mensaje sobre tu cuenta de Zoom en la página del curso.',
  },
  meeting_other_section: {
    title: 'Esta reunión es para otra sección',
    detail: 'Es para los estudiantes de {{sections}}, y este curso te tiene en otra sección.',
    next: 'Entra en tus reuniones desde la página del curso. Si tu sección no es correcta, pide a tu profesor que revise tu matrícula.',
  },
  handover_host_not_eligible: {
    title: 'Esa persona no puede ser anfitriona de estas clases',
    detail:
      'Las clases se entregan solo a un docente de este curso cuyo usuario de Zoom está activo y tiene licencia.',
    next: 'Elige a alguien de la lista en la página de traspaso. Si no aparece nadie, pide al administrador de Zoom de tu institución que asigne una licencia a un docente del curso.',
  },
  meeting_not_host: {
    title: 'Solo el anfitrión puede iniciar esta clase',
    detail: 'Una clase se inicia con el usuario de Zoom de su anfitrión.',
    next: 'Únete con el enlace; como anfitrión alternativo, Zoom te deja ser anfitrión al iniciar sesión.',
  },
  meeting_in_progress: {
    title: 'La clase está en curso',
    detail: 'Zoom no elimina una clase mientras se está celebrando.',
    next: 'Finaliza primero la clase en Zoom y después elimínala.',
  },
  not_found: {
    title: 'No encontrado',
    detail: 'No hay nada en esta dirección.',
    next: 'Vuelve a tu curso y abre la herramienta de nuevo desde su enlace.',
  },
  forbidden: {
    title: 'No permitido',
    detail: 'Tu rol en este curso no permite esto.',
    next: 'Pregunta a un profesor o administrador del curso.',
  },
  csrf_invalid: {
    title: 'El formulario caducó',
    detail: 'Este formulario no se envió desde la página de esta herramienta, o es demasiado antiguo.',
    next: 'Vuelve atrás, recarga la página y envíalo de nuevo.',
  },
  launch_inactive: {
    title: 'El enlace de este curso con Zoom se desactivó',
    detail:
      'El operador de esta herramienta de Zoom desactivó el registro o la implementación del LMS desde el que se abrió esta página, así que ya no puede mostrar ni cambiar nada.',
    next: 'Pregunta a tu administrador del LMS: puede pedir al operador de esta herramienta de Zoom que lo vuelva a activar. Después abre de nuevo la herramienta desde tu curso.',
  },
  meeting_occurrence_required: {
    title: 'Elige la sesión que quieres eliminar',
    detail: 'Elegiste eliminar una sesión de la serie pero no dijiste cuál, así que no se eliminó nada.',
    next: 'Vuelve atrás, elige la sesión en la lista y elimínala de nuevo.',
  },
  lti_cookies_blocked: {
    title: 'Abre Zoom en una ventana nueva',
    detail:
      'Tu navegador no guarda las cookies de esta herramienta dentro de la página del curso (Safari lo hace, y también algunas opciones de privacidad), así que Zoom no puede iniciar tu sesión aquí.',
    next: 'Abre Zoom en una ventana nueva: allí inicia tu sesión y muestra tus clases. Esta página del curso sigue abierta.',
    open: 'Abrir en una ventana nueva',
    opensWindow: '(se abre una ventana nueva)',
  },
  bad_request: {
    title: 'No se entendió la solicitud',
    detail: 'La solicitud no tenía el formato esperado.',
    next: 'Revisa el formulario y envíalo de nuevo.',
  },
  internal_error: {
    title: 'Algo falló por nuestra parte',
    detail: 'La herramienta tuvo un error inesperado. Quedó registrado.',
    next: 'Inténtalo de nuevo en un minuto; si sigue pasando, da el identificador de la solicitud a tu administrador.',
  },
  launch_required: {
    title: 'Abre esta herramienta desde tu curso',
    detail:
      'Esta página solo funciona cuando se abre desde un curso de tu LMS (faltaba el enlace de tu sesión o caducó).',
    next: 'Vuelve a tu curso y abre la herramienta de nuevo desde su enlace.',
  },
  lti_login_invalid: {
    title: 'No se pudo iniciar el acceso',
    detail: 'El LMS envió una solicitud de inicio de sesión incompleta.',
    next: 'Pide a tu administrador del LMS que revise el registro de la herramienta; el identificador del error de abajo le dice qué buscar.',
  },
  lti_unknown_client: {
    title: 'Este LMS no está registrado en la herramienta',
    detail: 'Ningún registro coincide con el emisor (issuer) y el client id que envió el LMS.',
    next: 'Un operador debe registrar antes este LMS (ver `npm run cli -- platform add` en el README).',
  },
  lti_target_link_uri_not_ours: {
    title: 'El acceso apunta a otro sitio',
    detail: 'El target_link_uri de este acceso no es la URL de acceso de esta herramienta.',
    next: 'Pide a tu administrador del LMS que revise el registro de la herramienta; el identificador del error de abajo le dice qué buscar.',
  },
  lti_state_invalid: {
    title: 'No se pudo verificar el acceso',
    detail: 'El estado (state) del acceso falta, es desconocido, ya se usó o caducó.',
    next: 'Vuelve a tu curso y abre la herramienta de nuevo desde su enlace.',
  },
  lti_state_unconfirmed: {
    title: 'No se pudo confirmar este acceso',
    detail:
      'No se pudo confirmar este acceso: el inicio de sesión al que pertenece no empezó en este navegador, o se cerró la página del curso que lo guardaba, así que la herramienta no se abrió.',
    next: 'Vuelve a tu curso y abre Zoom de nuevo. Si pasa siempre, avisa a tu administrador del LMS con el identificador del error de abajo.',
  },
  lti_launch_invalid: {
    title: 'No se pudo verificar el acceso',
    detail: 'El mensaje de acceso del LMS no pasó un control de seguridad.',
    next: 'Vuelve a tu curso y abre la herramienta de nuevo desde su enlace.',
  },
  lti_nonce_mismatch: {
    title: 'No se pudo verificar el acceso',
    detail: 'El id token no lleva el nonce que esta herramienta envió para este inicio de sesión.',
    next: 'Vuelve a tu curso y abre la herramienta de nuevo desde su enlace.',
  },
  lti_unknown_deployment: {
    title: 'No se conoce esta implementación de la herramienta',
    detail: 'El LMS abrió la herramienta desde una implementación (deployment) que no está registrada.',
    next: 'Un operador puede añadir el deployment id con `npm run cli -- platform add … --deployment <id>` o permitir nuevas implementaciones para el registro.',
  },
  lti_resource_link_missing: {
    title: 'El acceso no tiene enlace de recurso',
    detail: 'Un acceso desde un enlace de recurso debe nombrar el enlace del que viene, y este no lo hizo.',
    next: 'Pide a tu administrador del LMS que revise el registro de la herramienta; el identificador del error de abajo le dice qué buscar.',
  },
  zoom_not_connected: {
    title: 'Zoom aún no está conectado para tu escuela',
    detail: 'Tu escuela no ha conectado una cuenta de Zoom a esta herramienta.',
    next: 'Un administrador de la escuela lo conecta desde la página de conexión con Zoom de la herramienta (abre la herramienta como administrador).',
  },
  zoom_reconnect_required: {
    title: 'Hay que volver a conectar Zoom',
    detail:
      'Zoom ya no acepta el acceso de la herramienta a la cuenta de tu escuela (se revocó, caducó o se perdió).',
    next: 'Un administrador de la escuela vuelve a conectar Zoom desde la página de conexión con Zoom de la herramienta; no se pierde nada más.',
  },
  zoom_unavailable: {
    title: 'Zoom no respondió',
    detail: 'No se pudo contactar con Zoom, o respondió con un error.',
    next: 'Inténtalo de nuevo en unos minutos; la página de estado de Zoom (status.zoom.us) dice si Zoom mismo tiene problemas.',
  },
  zoom_oauth_not_configured: {
    title: 'La conexión con la app del Zoom Marketplace no está configurada',
    detail: 'Esta instalación de la herramienta no tiene configurada ninguna app del Zoom Marketplace.',
    next: 'Conecta con tu propia app Server-to-Server (formulario de abajo), o pide al operador que configure ZOOM_CLIENT_ID y ZOOM_CLIENT_SECRET.',
  },
  zoom_account_taken: {
    title: 'Esta cuenta de Zoom pertenece a otra escuela',
    detail: 'La cuenta de Zoom que autorizaste ya está conectada a otra escuela en esta herramienta.',
    next: 'Inicia sesión en Zoom con un administrador de la cuenta de Zoom de tu escuela y conecta de nuevo, o pide al operador que libere la cuenta.',
  },
  zoom_missing_scopes: {
    title: 'Zoom no concedió todo lo que la herramienta necesita',
    detail: 'La app de Zoom se autorizó sin algunos de los permisos (scopes) que la herramienta necesita.',
    next: 'Revisa los scopes de la app en el Zoom Marketplace (usuarios y reuniones, lectura y escritura, nivel de administrador) y conecta de nuevo.',
  },
  zoom_state_invalid: {
    title: 'Este intento de conexión con Zoom no se puede completar',
    detail:
      'La respuesta de Zoom no corresponde a ningún intento de conexión en curso: se alteró, ya se usó o caducó (10 minutos).',
    next: 'Empieza de nuevo desde la página de conexión con Zoom de la herramienta.',
  },
  zoom_connect_other_browser: {
    title: 'Esta conexión con Zoom se empezó en otro navegador',
    detail:
      'Zoom devolvió una autorización que este navegador no empezó, así que no se conectó nada. (Un enlace de consentimiento de Zoom solo funciona en el navegador de quien pulsó «Conectar Zoom».)',
    next: 'Para conectar Zoom, abre la herramienta desde tu curso como administrador de la escuela en este navegador y pulsa «Conectar Zoom».',
  },
  zoom_consent_denied: {
    title: 'No se concedió el acceso a Zoom',
    detail: 'El administrador de Zoom no autorizó la herramienta, así que no se conectó nada.',
    next: 'Empieza de nuevo desde la página de conexión con Zoom de la herramienta y elige Authorize, con la sesión iniciada como administrador de la cuenta de Zoom de tu escuela.',
  },
  zoom_credentials_invalid: {
    title: 'Zoom rechazó estas credenciales',
    detail: 'Zoom no aceptó el account id, el client id y el client secret indicados.',
    next: 'Cópialos de nuevo de tu app Server-to-Server en el Zoom Marketplace (Manage → tu app → App credentials); la app debe estar activada y tener los scopes de administrador de usuarios y reuniones.',
  },
  zoom_connect_link_invalid: {
    title: 'Este enlace para conectar Zoom no funciona',
    detail:
      'El enlace está incompleto o se alteró, caducó, se sustituyó por otro más reciente, o Zoom ya se conectó con él. No se cambió nada.',
    next: 'Pide un enlace nuevo al administrador del LMS de tu escuela (quien te lo envió): lo crea en la página de conexión con Zoom de la herramienta.',
  },
  registration_inactive: {
    title: 'Este registro del LMS está desactivado',
    detail:
      'El operador de esta herramienta de Zoom desactivó el registro del que viene este acceso, así que se rechazó.',
    next: 'Pide a tu administrador del LMS que contacte con el operador de esta herramienta de Zoom para que vuelva a activar el registro.',
  },
  grades_scope_not_granted: {
    title: 'El LMS no deja que la herramienta envíe calificaciones',
    detail:
      'El LMS no concedió a la herramienta sus servicios de tareas y calificaciones (Assignment and Grade Services: columnas y notas del libro de calificaciones) en este curso, así que no se envió ninguna nota.',
    next: 'Pide a tu administrador del LMS que los active. En Moodle: Administración del sitio → Extensiones → Herramienta externa → Gestionar herramientas → esta herramienta → Servicios, pon “IMS LTI Assignment and Grade Services” en “Usar este servicio para la sincronización de calificaciones y la gestión de columnas”. En Canvas: Administración → Claves de desarrollador → la clave de esta herramienta, activa sus scopes de line item, score y result. Después abre de nuevo la herramienta desde el curso.',
  },
  grades_line_item_deleted: {
    title: 'La columna de calificaciones se borró en el LMS',
    detail:
      'Alguien borró la columna de la herramienta en el libro de calificaciones del LMS, así que esta nota no se envió.',
    next: 'Crea la columna de nuevo desde los ajustes de calificaciones de la herramienta, o deja de enviar notas en este curso.',
  },
  grades_lms_unavailable: {
    title: 'El LMS no respondió',
    detail: 'El LMS estaba ocupado o caído y no aceptó las notas tras varios intentos. No se pierde nada.',
    next: 'No hace falta hacer nada: la herramienta vuelve a enviar las notas sola cuando el LMS responda. Si dura más de un día, avisa a tu administrador del LMS.',
  },
  grades_score_older: {
    title: 'El LMS tiene una nota más reciente',
    detail:
      'El LMS ya tiene una nota de este estudiante en esta columna tan reciente como la enviada, o más, así que conservó la suya.',
    next: 'No hace falta hacer nada con esta nota: el LMS conserva la más reciente. Cambia la nota de nuevo desde la herramienta para enviar una más nueva.',
  },
};
