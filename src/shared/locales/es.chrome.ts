import type { enChrome } from './en.chrome';

export const esChrome: typeof enChrome = {
  product: 'Reuniones de clase en Zoom',
  context: '{{course}} · {{school}}',
  sandbox: {
    label: 'ENTORNO DE PRUEBAS',
    detail: 'un LMS emulado y un Zoom simulado: aquí nada es real',
  },
  sandboxHome: {
    title: 'Entorno de pruebas: prueba la herramienta como lo haría un centro',
    otherLanguage: 'View this page in English',
    intro:
      'Este proceso ejecuta la herramienta, dos LMS emulados (un Moodle y un Canvas, cada uno el LMS de un centro de pruebas) y un Zoom simulado con una cuenta por centro. Nada de lo que pasa aquí llega a un LMS ni a un Zoom reales. Los centros de pruebas están marcados y nunca se mezclan con los reales; define <code>SANDBOX=off</code> para ejecutar sin ellos.',
    zoomConfigured:
      'Zoom está configurado para esta herramienta (variables ZOOM_*): los centros se conectan a él, no al simulador.',
    pathHeading: 'Un recorrido guiado',
    path: {
      connect:
        '<strong>Conecta Zoom.</strong> Abre el curso de un centro como <em>administrador</em>, elige «Gestionar la conexión con Zoom» y luego «Conectar Zoom». La página de consentimiento de Zoom (la del simulador) se abre en una ventana nueva: elige «Continue as» con el administrador de Zoom del centro que aparece abajo (el navegador del entorno de pruebas es como si tuviera la sesión de Zoom iniciada).',
      provision:
        '<strong>Obtén un usuario de Zoom.</strong> Abre el curso como <em>profesor</em>: la herramienta le da al profesor un usuario de Zoom en la cuenta del centro y muestra el programador de reuniones.',
      schedule: '<strong>Programa</strong> una reunión desde la página del curso.',
      join: '<strong>Únete.</strong> Abre el curso como <em>estudiante</em>: la reunión aparece con «Unirse», que lleva al Zoom simulado.',
    },
    languages:
      'Cada persona puede abrir el curso en español o en inglés: el LMS abre entonces la herramienta en ese idioma.',
    comeBack:
      'Vuelve aquí para ver los usuarios y las reuniones de Zoom de cada centro, y los webhooks que Zoom envió a la herramienta.',
    lms: 'Un {{product}} emulado en <code>{{url}}</code>, curso «Zoom Practice 101».',
    open: 'Abrir el curso como {{who}}',
    openList: 'Abrir el curso',
    who: { instructor: 'profesor', student: 'estudiante', administrator: 'administrador' },
    zoom: 'Zoom',
    zoomAdmin: 'Administrador de Zoom con el que iniciar sesión en la página de consentimiento',
    zoomAccount: 'Cuenta de Zoom',
    connection: 'La conexión de la herramienta',
    connectionState: {
      connected: 'Conectada',
      none: 'Aún sin conectar (paso 1)',
      reconnect_required: 'Hay que volver a conectarla',
      disconnected: 'Desconectada',
    },
    users: 'Usuarios de Zoom creados por la herramienta',
    noneYet: 'Ninguno todavía.',
    userStatus: { active: 'activo', inactive: 'inactivo', pending: 'pendiente' },
    licensed: 'con licencia',
    basic: 'básico',
    meetings: 'Reuniones en Zoom',
    noFixedTime: 'sin hora fija',
    meetingStatus: { waiting: 'sin empezar', started: 'en curso', ended: 'terminada' },
    webhooks: 'Webhooks que Zoom envió a la herramienta',
    noWebhooks: 'Ninguno todavía. Llegan cuando cambian los usuarios y las reuniones de Zoom.',
    webhooksCaption: 'Las últimas entregas, las más recientes primero',
    when: 'Cuándo',
    event: 'Evento',
    school: 'Centro',
    answered: 'Respuesta de la herramienta',
    failed: '(falló)',
    theApp: 'la aplicación',
    noAnswer: 'sin respuesta',
    behind: 'Entre bastidores',
    tool: 'La herramienta: <code>{{url}}</code> (inicio de sesión LTI <code>{{url}}/lti/login</code>, lanzamiento <code>{{url}}/lti/launch</code>, claves <code>{{url}}/lti/keys</code>)',
    simulator: 'El Zoom simulado: <code>{{url}}</code> (API <code>{{url}}/v2</code>)',
  },
};
