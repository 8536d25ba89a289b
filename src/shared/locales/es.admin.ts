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
      'No conectado ({{reason}}). Los profesores no pueden programar clases hasta que se conecte una cuenta de Zoom.',
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
    connectedTitle: 'Zoom está conectado',
    connectedText:
      'La cuenta de Zoom de tu institución ya está conectada a la herramienta. Los profesores pueden usarla desde sus cursos.',
    connectedNext:
      'Puedes cerrar esta ventana y volver a tu curso, o <a href="{{url}}">abrir la página de conexión con Zoom</a>.',
    backToConnection: 'Volver a la página de conexión con Zoom',
    notices: {
      connected: 'Zoom está conectado.',
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
    checkAgainLabel: 'Comprobar de nuevo a {{name}} con Zoom',
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
    action_legend: 'Acción de Zoom',
    actions: {
      create: 'create: Zoom envía por correo una invitación que la persona acepta (predeterminado)',
      autoCreate: 'autoCreate: activo al momento (requiere un dominio gestionado en Zoom)',
      ssoCreate: 'ssoCreate: para cuentas con aprovisionamiento previo por SSO',
      custCreate: 'custCreate: para cuentas de socios de la API de Zoom',
    },
    licenceLegend: 'Licencia',
    licensedDefault: 'Con licencia (predeterminado)',
    basic: 'Básica',
    noSeatLegend: 'Cuando no quede ninguna licencia',
    noSeatBasic: 'Crear un usuario básico en su lugar',
    noSeatRefuse: 'Rechazar e indicar al profesor que pida una licencia',
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
    next: 'Un administrador de la institución cambia el ajuste en la página de usuarios de Zoom de la herramienta (por ejemplo, a «create»).',
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
