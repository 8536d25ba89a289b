import type { Catalog } from './en';

/** Las páginas del administrador de la institución (conexión con Zoom, usuarios de Zoom). */
export const esAdmin: Catalog['admin'] = {
  brand: 'Zoom para {{school}}',
  backToCourse: 'Volver a la página del curso',
  connection: {
    title: 'Conexión con Zoom',
    statusHeading: 'Estado',
    connectedOauth:
      'Conectado a la cuenta de Zoom <code>{{account}}</code> mediante la aplicación del Zoom Marketplace.',
    connectedS2s:
      'Conectado a la cuenta de Zoom <code>{{account}}</code> mediante tu propia aplicación Server-to-Server.',
    webhookUrl:
      'En tu aplicación Server-to-Server, configura como URL de notificación de eventos <code>{{url}}</code>.',
    reconnect:
      '<strong>Hay que volver a conectar.</strong> {{reason}} Los profesores no pueden programar clases hasta que Zoom se vuelva a conectar. Vuelve a conectar abajo: no se pierde nada más.',
    notConnected:
      'No conectado. Los profesores no pueden programar clases hasta que se conecte una cuenta de Zoom.',
    notConnectedBecause:
      'No conectado: {{reason}} Los profesores no pueden programar clases hasta que se conecte una cuenta de Zoom.',
    oauthHeading: 'Conectar con la aplicación del Zoom Marketplace',
    oauthIntro:
      'Un administrador de la cuenta de Zoom de tu institución autoriza la herramienta. Zoom se abre en una ventana nueva.',
    connect: 'Conectar Zoom',
    oauthUnavailable:
      'Esta instalación no tiene configurada una aplicación del Marketplace; usa tu propia aplicación Server-to-Server abajo.',
    s2sHeading: 'O conecta tu propia aplicación Server-to-Server',
    s2sIntro:
      'Crea una aplicación Server-to-Server OAuth en tu cuenta de Zoom (Zoom App Marketplace → Develop → Build app), dale los permisos de administración de usuarios y reuniones, actívala y copia aquí sus credenciales.',
    accountId: 'Account ID',
    clientId: 'Client ID',
    clientSecret: 'Client secret',
    webhookSecret: 'Secret token para notificaciones de eventos (opcional)',
    verify: 'Verificar y conectar',
    disconnectHeading: 'Desconectar',
    disconnectIntro:
      'Revoca el acceso de la herramienta en Zoom y borra sus tokens. Las reuniones que ya están en Zoom se quedan allí.',
    disconnect: 'Desconectar Zoom',
    disconnectConfirm: {
      title: '¿Desconectar Zoom?',
      heading: '¿Desconectar Zoom de {{school}}?',
      intro:
        'Se revoca el acceso de la herramienta en Zoom y se borran sus tokens. Hasta que se vuelva a conectar una cuenta de Zoom:',
      stops: 'Los profesores no pueden programar, cambiar, borrar ni iniciar reuniones desde sus cursos.',
      keeps:
        'Las reuniones ya programadas siguen en Zoom: los enlaces para unirse de los estudiantes siguen funcionando y los anfitriones pueden iniciarlas desde el propio Zoom.',
      confirm: 'Desconectar Zoom',
      cancel: 'Cancelar y mantener Zoom conectado',
    },
    connectedTitle: 'Zoom está conectado',
    connectedText:
      'La cuenta de Zoom de tu institución ya está conectada a la herramienta. Los profesores pueden usarla desde sus cursos.',
    backToConnection: 'Volver a la página de conexión con Zoom',
    settingsHeading: 'Cómo se crean los nuevos usuarios de Zoom',
    settingsChange: 'Cámbialos en la página de usuarios de Zoom',
    peopleHeading: 'Usuarios de Zoom de los profesores',
    peopleIntro: 'El estado en Zoom y la licencia de cada profesor, con «Comprobar de nuevo».',
    notices: {
      connected: 'Zoom está conectado.',
      'link-created':
        'Hay un enlace de conexión nuevo abajo. Envíalo al administrador de Zoom de tu institución.',
      'link-withdrawn': 'Se retiró el enlace de conexión: ya no funciona.',
      disconnected:
        'Zoom está desconectado: se revocó el acceso de la herramienta en Zoom y se borraron sus tokens.',
      'disconnected-locally':
        'Zoom está desconectado aquí y se borraron sus tokens. No se pudo avisar a Zoom: elimina también la aplicación en la configuración del Marketplace de tu cuenta de Zoom.',
    },
    reasons: {
      app_deauthorized: 'Se eliminó la aplicación de la cuenta de Zoom.',
      disconnected_by_admin: 'Un administrador la desconectó.',
      missing_scopes: 'Zoom dice que al acceso de la herramienta le faltan permisos que necesita.',
      zoom_invalid_grant: 'Zoom ya no acepta el acceso de la herramienta (se revocó, caducó o se reemplazó).',
      zoom_invalid_client: 'Zoom ya no acepta las credenciales de la aplicación.',
      zoom_no_grant: 'El acceso guardado está incompleto.',
    },
  },
  selfCheck: {
    heading: 'Autocomprobación',
    intro:
      'Comprueba, en vivo, que Zoom funciona para tu institución a través de esta herramienta: la conexión, los permisos que concedió Zoom, el token de acceso, una búsqueda de usuario, los relojes y lo que envían tu LMS y este navegador. Tarda unos segundos.',
    run: 'Ejecutar la autocomprobación',
    runAgain: 'Ejecutar la autocomprobación de nuevo',
    resultsHeading: 'Resultados',
    caption: 'Resultados de la autocomprobación',
    check: 'Comprobación',
    result: 'Resultado',
    whatWasFound: 'Qué se encontró',
    whatToDo: 'Qué hacer',
    ranAt: 'Comprobado el {{time}}.',
    summary: {
      pass: 'Todo funciona: {{counts}}.',
      warn: 'Hay algo que revisar: {{counts}}.',
      fail: 'Algo no funciona: {{counts}}.',
    },
    counts: {
      fail_one: '{{count}} con error',
      fail_other: '{{count}} con error',
      warn_one: '{{count}} aviso',
      warn_other: '{{count}} avisos',
      pass_one: '{{count}} correcta',
      pass_other: '{{count}} correctas',
      skipped_one: '{{count}} sin comprobar',
      skipped_other: '{{count}} sin comprobar',
    },
    names: {
      connection: 'Conexión con Zoom',
      scopes: 'Permisos (scopes)',
      token: 'Token de acceso',
      lookup: 'Búsqueda de usuario',
      clock: 'Reloj',
      email: 'Tu correo desde el LMS',
      browser: 'Este navegador',
    },
    statuses: { pass: 'Correcto', warn: 'Aviso', fail: 'Error', skipped: 'Sin comprobar' },
    says: {
      connectedOauth:
        'Conectado a la cuenta de Zoom {{account}} mediante la aplicación del Zoom Marketplace.',
      connectedS2s:
        'Conectado a la cuenta de Zoom {{account}} mediante tu propia aplicación Server-to-Server.',
      reconnectRequired: 'Zoom ya no acepta el acceso de la herramienta a la cuenta de tu institución.',
      disconnected: 'Zoom se desconectó.',
      notConnected: 'No hay ninguna cuenta de Zoom conectada.',
      skippedNotConnected: 'Sin comprobar: Zoom no está conectado.',
      skippedNeedsToken: 'Sin comprobar: necesita un token de acceso que Zoom acepte.',
      skippedNoAnswer: 'Sin comprobar: Zoom no respondió.',
      scopesAll:
        'Zoom concedió todos los permisos que necesita la herramienta (usuarios y reuniones, lectura y escritura, nivel de administración).',
      scopesMissing: 'Zoom no concedió: {{missing}}.',
      tokenOk: 'La herramienta tiene un token de acceso y Zoom lo acepta.',
      tokenRefused:
        'Zoom rechazó el acceso de la herramienta: se revocó (se eliminó la aplicación o se retiró su acceso en Zoom), caducó o se sustituyó.',
      tokenGone: 'La conexión con Zoom se eliminó mientras se ejecutaba la autocomprobación.',
      tokenUnavailable: 'La herramienta no pudo obtener un token de acceso: Zoom no respondió.',
      lookupFound: 'Zoom respondió a una búsqueda de usuario ({{email}}).',
      lookupNoUser:
        'Zoom respondió a una búsqueda de usuario: {{who}} no tiene usuario de Zoom en esta cuenta, lo cual no importa para esta comprobación.',
      lookupScopes: 'Zoom se negó a buscar un usuario: al acceso le falta {{missing}}.',
      lookupForbidden:
        'Zoom se negó a buscar un usuario: la configuración de la cuenta no lo permite a la aplicación.',
      lookupBusy: 'Zoom está ocupado: pidió a la herramienta que espere (un límite de peticiones).',
      lookupFailed: 'Zoom respondió a la búsqueda de usuario con un error.',
      timedOut: 'Zoom no respondió en {{seconds}} segundos.',
      clockOk: 'El reloj de este servidor coincide con el de Zoom ({{seconds}} s de diferencia).',
      clockBehindSeconds: 'El reloj de este servidor va {{seconds}} segundos por detrás del de Zoom.',
      clockAheadSeconds: 'El reloj de este servidor va {{seconds}} segundos por delante del de Zoom.',
      clockBehindMinutes: 'El reloj de este servidor va unos {{minutes}} minutos por detrás del de Zoom.',
      clockAheadMinutes: 'El reloj de este servidor va unos {{minutes}} minutos por delante del de Zoom.',
      emailPresent: 'Tu LMS envió tu dirección de correo ({{email}}).',
      emailMissing:
        'Este acceso no incluyó tu dirección de correo, así que probablemente los de los profesores tampoco incluyen la suya: sus usuarios de Zoom no se pueden encontrar ni crear.',
      browserKeeps:
        'Este navegador conserva las cookies de la herramienta dentro del marco del curso. {{launchText}}',
      browserDoesNot:
        'Este navegador no conserva las cookies de la herramienta dentro del marco del curso (bloquea las cookies de terceros). {{launchText}}',
    },
    launch: {
      cookie: 'Este acceso se verificó con la cookie de la herramienta.',
      'platform-storage': 'Este acceso se verificó mediante el almacenamiento de la plataforma del LMS.',
      'window-storage': 'Este acceso se verificó en una ventana propia.',
      unknown: 'No se sabe cómo se verificó este acceso.',
    },
    fixes: {
      connect:
        'Conecta Zoom abajo (la aplicación del Zoom Marketplace o tu propia aplicación Server-to-Server), o crea un enlace de conexión para el administrador de Zoom de tu institución.',
      reconnect:
        'Vuelve a conectar Zoom: pulsa «Conectar Zoom» abajo (o vuelve a introducir las credenciales de tu aplicación Server-to-Server), o envía un enlace de conexión al administrador de Zoom de tu institución. No se pierde nada más.',
      scopesS2s:
        'En el Zoom App Marketplace, abre Manage › tu aplicación Server-to-Server › Scopes, añade {{missing}} y vuelve a ejecutar la autocomprobación.',
      scopesS2sReconnect:
        'En el Zoom App Marketplace, abre Manage › tu aplicación Server-to-Server › Scopes, añade {{missing}} y vuelve a conectar la aplicación abajo.',
      scopesOauth:
        'A la aplicación del Zoom Marketplace de la herramienta le falta {{missing}}: su operador los añade (Zoom App Marketplace › Manage › la aplicación › Scopes); después vuelve a conectar Zoom abajo para que tu administrador de Zoom los conceda.',
      zoomDown:
        'Vuelve a ejecutar la autocomprobación en unos minutos; status.zoom.us indica si Zoom tiene problemas.',
      timeout:
        'Vuelve a ejecutar la autocomprobación en un minuto. Si Zoom sigue sin responder, consulta status.zoom.us y comprueba que este servidor llega a api.zoom.us.',
      later:
        'No hay nada que arreglar: los límites de Zoom se reinician pronto (en segundos, o a medianoche UTC si es un límite diario). Vuelve a ejecutar la autocomprobación más tarde.',
      zoomRole:
        'En Zoom (User Management › Roles), comprueba que el rol de quien autorizó la aplicación puede ver usuarios.',
      ntp: 'Sincroniza el reloj de este servidor (NTP: chrony o systemd-timesyncd). Cuando los relojes no coinciden, los tokens de acceso parecen caducados y se rechazan las notificaciones de eventos de Zoom (se aceptan dentro de 5 minutos).',
      emailMoodle:
        'En Moodle: Administración del sitio › Extensiones › Módulos de actividad › Herramienta externa › Gestionar herramientas › esta herramienta › Privacidad: pon «Compartir el correo del usuario con la herramienta» en Siempre.',
      emailCanvas:
        'En Canvas: Admin › Developer Keys › la clave de esta herramienta: pon su nivel de privacidad en public o email_only y guarda.',
      emailAny:
        'Haz que tu LMS comparta el correo de quien accede con esta herramienta (Moodle: «Compartir el correo del usuario con la herramienta» = Siempre; Canvas: nivel de privacidad public o email_only).',
      browserNothing:
        'No hay nada que cambiar: aquí los accesos usan el almacenamiento de la plataforma del LMS (Canvas) o se abren en una ventana nueva (Moodle).',
    },
  },
  connectLink: {
    heading: 'Deja que tu administrador de Zoom conecte',
    intro:
      'Si otra persona administra la cuenta de Zoom de tu institución, crea un enlace y envíaselo: lo abre en su propio navegador y conecta Zoom allí, sin el LMS. Funciona hasta que Zoom esté conectado o hasta que caduque; un enlace nuevo lo sustituye.',
    validFor: 'Válido durante',
    days_one: '{{count}} día',
    days_other: '{{count}} días',
    make: 'Crear un enlace de conexión',
    makeNew: 'Crear un enlace nuevo (este deja de funcionar)',
    current: 'Enlace de conexión',
    expires: 'Funciona hasta el {{time}}, o hasta que Zoom esté conectado.',
    withdraw: 'Retirar el enlace',
    pageTitle: 'Conectar Zoom para {{school}}',
    pageIntro:
      'Un administrador del LMS de {{school}} te pide que conectes la cuenta de Zoom de la institución a la herramienta de Zoom de sus cursos. Tienes que ser propietario o administrador de esa cuenta de Zoom. Elige una de las dos formas de abajo.',
    pageExpires: 'Este enlace funciona una vez, hasta el {{time}}.',
    oauthIntro:
      'Un propietario o administrador de la cuenta de Zoom de la institución autoriza la herramienta en la página de Zoom; después Zoom te trae de vuelta aquí.',
    connectedText:
      'La cuenta de Zoom de la institución ya está conectada a la herramienta. El administrador del LMS lo ve en la página de conexión con Zoom de la herramienta. Puedes cerrar esta ventana.',
  },
  people: {
    title: 'Usuarios de Zoom',
    heading: 'Profesores y administradores',
    empty: 'Nadie todavía: los profesores aparecen aquí la primera vez que abren la herramienta.',
    caption: 'Usuarios de Zoom de los profesores de la institución',
    name: 'Nombre',
    email: 'Correo',
    status: 'Estado en Zoom',
    licence: 'Licencia',
    lastChecked: 'Última comprobación',
    action: 'Acción',
    checkAgain: 'Comprobar de nuevo',
    noName: '(sin nombre)',
    noEmail: '(el LMS no envió el correo)',
    never: 'nunca',
    statuses: {
      active: 'activo',
      pending: 'pendiente',
      inactive: 'inactivo',
      failed: 'fallido',
      provisioning: 'en preparación',
      settingUp: 'configurándose',
    },
    licences: { '1': 'Básica', '2': 'Con licencia', '99': 'Ninguna' },
    settingsHeading: 'Cómo se crean los nuevos usuarios de Zoom',
    settingsIntro:
      'Los profesores de un curso reciben un usuario en la cuenta de Zoom de la institución la primera vez que abren esta herramienta desde el curso. Estas opciones se aplican a los usuarios de Zoom que se creen a partir de ahora.',
    whoLegend: 'Quién recibe un usuario de Zoom',
    whoInstructors:
      'Los profesores del curso (docentes, profesores ayudantes y diseñadores del curso) siempre reciben uno.',
    administrators: 'Dar un usuario de Zoom a los administradores del LMS que no son profesores del curso',
    administratorsHint:
      'Desactivado de forma predeterminada: un administrador conecta Zoom y gestiona sus usuarios sin tener uno, y cada usuario de Zoom puede ocupar una de las licencias de pago de la institución. Los administradores que también imparten el curso reciben uno de todos modos.',
    administratorsOn: 'Los profesores del curso, y los administradores del LMS que no lo imparten',
    administratorsOff:
      'Solo los profesores del curso (los administradores del LMS que no lo imparten no reciben ninguno)',
    action_legend: 'Cómo los crea Zoom',
    zoomTerm: '(Zoom: {{term}})',
    actions: {
      create:
        'Invitarlos por correo: deben aceptar la invitación de Zoom antes de poder ser anfitriones (predeterminado; funciona con cualquier cuenta de Zoom)',
      autoCreate:
        'Crearlos directamente, activos al momento y sin correo (solo para direcciones de un dominio que gestiona tu cuenta de Zoom)',
      ssoCreate:
        'Crearlos para inicio de sesión único: entran en Zoom con el SSO de la institución (solo si en Zoom está activado el «aprovisionamiento previo de usuarios SSO»)',
      custCreate:
        'Crearlos sin contraseña de Zoom: no pueden entrar en la web ni en la aplicación de Zoom y solo inician reuniones desde esta herramienta (solo para cuentas de socios de la API de Zoom)',
    },
    licenceLegend: 'Qué tipo de usuario de Zoom',
    licensedDefault:
      'Crearlos como usuarios con licencia: cada uno ocupa una de las licencias de pago de la institución; sus reuniones pueden durar más de 40 minutos (predeterminado)',
    basic: 'Crearlos como usuarios básicos: gratis; sus reuniones terminan a los 40 minutos',
    noSeatLegend: 'Cuando todas las licencias de pago están ocupadas',
    noSeatBasic: 'Crear un usuario básico en su lugar (gratis; las reuniones terminan a los 40 minutos)',
    noSeatRefuse:
      'No crear ningún usuario de Zoom e indicar al profesor que pida una licencia al administrador de Zoom',
    save: 'Guardar ajustes',
    connectionLink: 'Conexión con Zoom',
    notices: { saved: 'Ajustes guardados.', checked: 'Comprobado con Zoom.' },
  },
};

/** What the course page says about an instructor's Zoom user (provisioning outcomes). */
export const esOutcomes: Catalog['outcomes'] = {
  yourEmail: 'tu dirección de correo',
  active: {
    title: 'Tu cuenta de Zoom está lista',
    detail: 'Eres anfitrión de las clases como {{email}} en la cuenta de Zoom de tu institución.',
    next: '',
  },
  pending: {
    title: 'Activa tu cuenta de Zoom',
    detail:
      'La cuenta de Zoom de tu institución invitó a {{email}}. Zoom envió un correo de activación a esa dirección.',
    next: 'Abre el correo de Zoom (revisa también el spam) y acepta la invitación; la próxima vez que abras esta herramienta lo notará.',
  },
  inactive: {
    title: 'Tu usuario de Zoom está desactivado',
    detail:
      'El usuario de Zoom {{email}} existe en la cuenta de Zoom de tu institución, pero está desactivado.',
    next: 'Pide al administrador de Zoom de tu institución que lo reactive (administración de Zoom → Gestión de usuarios → Usuarios).',
  },
  queued: {
    title: 'Tu cuenta de Zoom se está configurando',
    detail:
      'Zoom está ocupado ahora mismo (mucha gente empieza a la vez), así que tu usuario de Zoom se está creando en segundo plano.',
    next: 'No tienes que hacer nada: vuelve a cargar esta página en un minuto. Todo lo demás de esta página ya funciona.',
  },
  email_missing: {
    title: 'Tu LMS no compartió tu dirección de correo',
    detail: 'Un usuario de Zoom se identifica por su correo, y este acceso no incluyó el tuyo.',
    next: 'Pide a tu administrador de Moodle que configure la privacidad de la herramienta «Compartir el correo del usuario con la herramienta» en Siempre.',
    nextCanvas:
      'Pide a tu administrador de Canvas que configure el nivel de privacidad de la herramienta para incluir el correo (Privacy: email_only o public en la developer key).',
  },
  email_taken: {
    title: 'Tu correo ya lo usa otra cuenta de Zoom',
    detail:
      '{{email}} ya pertenece a un usuario de Zoom fuera de la cuenta de Zoom de tu institución (por ejemplo, una cuenta personal).',
    next: 'Pide al administrador de Zoom de tu institución que te invite a la cuenta de la institución; Zoom te dejará mover tu usuario a ella (inicia sesión en zoom.us y acepta). Después vuelve a abrir esta herramienta.',
  },
  no_seats: {
    title: 'La cuenta de Zoom de tu institución no tiene licencias libres',
    detail:
      'Todas las licencias de la cuenta de Zoom de la institución están en uso, y la institución no crea usuarios básicos en su lugar.',
    next: 'Pide al administrador de Zoom de tu institución que libere o compre una licencia; después pulsa «Comprobar de nuevo» o vuelve a abrir esta herramienta.',
  },
  domain_not_allowed: {
    title: 'Zoom no acepta el dominio de tu correo',
    detail: 'La cuenta de Zoom de la institución no admite usuarios con {{email}}.',
    next: 'Pide al administrador de Zoom de tu institución que admita tu dominio de correo, o a tu administrador del LMS que use tu correo de la institución.',
  },
  action_not_allowed: {
    title: 'Zoom rechazó la forma en que esta institución crea usuarios',
    detail:
      'La cuenta de Zoom de la institución no permite el método de creación de usuarios que usa esta herramienta.',
    next: 'Un administrador de la institución cambia «Cómo los crea Zoom» en la página de usuarios de Zoom de la herramienta (por ejemplo, a «Invitarlos por correo»).',
  },
  administrator_left_out: {
    title: 'Aquí no tienes usuario de Zoom',
    detail:
      'Abriste este curso como administrador del LMS, no como uno de sus profesores, y los ajustes de tu institución solo dan usuarios de Zoom a los profesores del curso (un usuario de Zoom puede ocupar una licencia de pago). Puedes seguir gestionando la conexión con Zoom de la institución y sus usuarios de Zoom.',
    next: 'Para ser anfitrión de reuniones aquí, inscríbete en el curso como profesor, o marca «Dar un usuario de Zoom a los administradores del LMS que no son profesores del curso» en la página de usuarios de Zoom de esta herramienta y vuelve a abrir el curso.',
  },
  zoom_not_connected: {
    title: 'Zoom aún no está conectado para tu institución',
    detail: 'Tu institución no ha conectado una cuenta de Zoom a esta herramienta.',
    next: 'Pide a tu administrador del LMS o de Zoom que abra esta herramienta como administrador y conecte Zoom.',
  },
  zoom_reconnect_required: {
    title: 'Hay que volver a conectar Zoom',
    detail: 'Zoom ya no acepta el acceso de esta herramienta a la cuenta de tu institución.',
    next: 'Un administrador de la institución vuelve a conectar Zoom desde esta herramienta; mientras tanto no se pierde nada.',
  },
  zoom_unavailable: {
    title: 'Zoom no respondió',
    detail: 'No se pudo comprobar tu usuario de Zoom porque no se pudo contactar con Zoom.',
    next: 'La herramienta lo vuelve a intentar sola en menos de un minuto; vuelve a abrirla en unos minutos. Si sigue pasando, consulta status.zoom.us.',
  },
};
